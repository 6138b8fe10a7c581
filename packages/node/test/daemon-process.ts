/** Test helper: a `shoal daemon` OS process on loopback with its own data dir, driven over its admin socket. */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { adminCall } from "../src/admin-client.ts";
import type { NodeInfo } from "../src/node-options.ts";

const CLI = fileURLToPath(new URL("../../../apps/cli/src/main.ts", import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export class DaemonProcess {
  child: ChildProcess | undefined;
  output = "";

  constructor(
    readonly name: string,
    readonly dataDir: string,
    readonly addr: string,
  ) {}

  static async start(root: string, name: string): Promise<DaemonProcess> {
    const daemon = new DaemonProcess(name, join(root, name), `127.0.0.1:${await freePort()}`);
    await daemon.restart();
    return daemon;
  }

  get socket(): string {
    return join(this.dataDir, "admin.sock");
  }

  async restart(): Promise<void> {
    const args = ["--import", "tsx", CLI, "daemon", "--data-dir", this.dataDir, "--listen-addr", this.addr];
    this.child = spawn(process.execPath, [...args, "--hostname", this.name, "--log-level", "info"], {
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout?.on("data", (c: Buffer) => (this.output += c.toString()));
    this.child.stderr?.on("data", (c: Buffer) => (this.output += c.toString()));
    await eventually(
      async () => existsSync(this.socket) && (await this.info()) !== undefined,
      `${this.name} to start`,
      60_000,
    );
  }

  info(): Promise<NodeInfo> {
    return adminCall<NodeInfo>(this.socket, "info");
  }

  call<T = unknown>(route: string, body?: unknown): Promise<T> {
    return adminCall<T>(this.socket, route, body);
  }

  control<T = unknown>(procedure: string, input?: unknown): Promise<T> {
    return adminCall<T>(this.socket, "control", { procedure, input });
  }

  /** SIGKILL, no clean-up: a crash. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  }

  /** SIGINT, as Ctrl-C. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGINT");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
