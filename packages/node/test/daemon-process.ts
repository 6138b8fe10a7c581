/** Test helper: a node OS process (`node-main.ts`, what `shoal daemon` runs) on loopback with its own data dir, driven over its driver socket (and its HTTP API with `api`). */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { NodeInfo } from "../src/node-options.ts";
import { driverCall } from "./driver-socket-client.ts";
import { DRIVER_SOCKET } from "./driver-socket-server.ts";

const NODE_MAIN = fileURLToPath(new URL("./node-main.ts", import.meta.url));

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

export interface DaemonOptions {
  /** The node-to-node address; default 127.0.0.1 with a free port. */
  readonly addr?: string;
  /** A command the daemon runs under (`nsenter --net=...` for a network namespace). */
  readonly wrapper?: readonly string[];
  /** More `shoal daemon` flags (`--docker-host ...`). */
  readonly args?: readonly string[];
  /** Serve the HTTP API on 127.0.0.1 with a free port (`apiUrl`). */
  readonly api?: boolean;
}

export class DaemonProcess {
  child: ChildProcess | undefined;
  output = "";

  constructor(
    readonly name: string,
    readonly dataDir: string,
    readonly addr: string,
    private readonly options: DaemonOptions = {},
    /** The HTTP API's origin (`http://127.0.0.1:port`) when started with `api`. */
    readonly apiUrl?: string,
  ) {}

  static async start(root: string, name: string, options: DaemonOptions = {}): Promise<DaemonProcess> {
    const addr = options.addr ?? `127.0.0.1:${await freePort()}`;
    const apiUrl = options.api ? `http://127.0.0.1:${await freePort()}` : undefined;
    const daemon = new DaemonProcess(name, join(root, name), addr, options, apiUrl);
    await daemon.restart();
    return daemon;
  }

  get socket(): string {
    return join(this.dataDir, DRIVER_SOCKET);
  }

  async restart(): Promise<void> {
    const args = ["--import", "tsx", NODE_MAIN, "--data-dir", this.dataDir, "--listen-addr", this.addr];
    const api = this.apiUrl ? ["--api-addr", this.apiUrl.slice("http://".length)] : [];
    const all = [
      ...args,
      ...api,
      "--hostname",
      this.name,
      "--log-level",
      "info",
      ...(this.options.args ?? []),
    ];
    const [command, ...prefix] = [...(this.options.wrapper ?? []), process.execPath];
    this.child = spawn(command!, [...prefix, ...all], {
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout?.on("data", (c: Buffer) => (this.output += c.toString()));
    this.child.stderr?.on("data", (c: Buffer) => (this.output += c.toString()));
    const child = this.child;
    await eventually(
      async () => {
        if (child.exitCode !== null) {
          throw new Error(`${this.name} exited (${child.exitCode}): ${this.output.slice(-2_000)}`);
        }
        if (!existsSync(this.socket) || (await this.info()) === undefined) return false;
        return this.apiUrl === undefined || (await fetch(`${this.apiUrl}/healthz`)).ok;
      },
      `${this.name} to start`,
      60_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${this.name} output: ${this.output.slice(-2_000)}`);
    });
  }

  info(): Promise<NodeInfo> {
    return driverCall<NodeInfo>(this.socket, "info");
  }

  call<T = unknown>(route: string, body?: unknown): Promise<T> {
    return driverCall<T>(this.socket, route, body);
  }

  control<T = unknown>(procedure: string, input?: unknown): Promise<T> {
    return driverCall<T>(this.socket, "control", { procedure, input });
  }

  /** SIGKILL, no clean-up: a crash. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    // A process that is gone already may never emit "exit" again; never let cleanup hang on it.
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000).unref())]);
  }

  /** SIGINT, as Ctrl-C. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
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
  pollMs = 100,
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
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
