/** Test helper: `shoal` as a user runs it (a child process per command) and a `shoal daemon` process. */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { request } from "node:http";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
export const BIN = fileURLToPath(new URL("../bin/shoal.mjs", import.meta.url));

export interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs `shoal ARGS` with the given environment (SHOAL_HOST, SHOAL_CONFIG) and collects its output;
 * `input`, when given, is written to its stdin (which then ends).
 */
export function shoal(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
  input?: string,
): Promise<Result> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", MAIN, ...args],
      { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

export class Daemon {
  private exited: Promise<void>;
  log = "";

  constructor(readonly child: ChildProcess) {
    child.stdout?.on("data", (b: Buffer) => (this.log += b.toString()));
    child.stderr?.on("data", (b: Buffer) => (this.log += b.toString()));
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
  }

  static start(args: string[], env: NodeJS.ProcessEnv): Daemon {
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, "daemon", ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    return new Daemon(child);
  }

  async waitForApi(host: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const ok = await fetch(`${host}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (this.child.exitCode !== null) throw new Error(`shoal daemon exited:\n${this.log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the daemon's API did not answer at ${host}:\n${this.log}`);
  }

  /** SIGTERM to the daemon this test started (by its pid), then wait for it to exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill("SIGTERM");
    await this.exited;
  }
}

/** Whether the Docker Engine at `dockerHost` (unix://PATH) answers its ping. */
function engineAnswers(dockerHost: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { socketPath: dockerHost.replace(/^unix:\/\//, ""), path: "/_ping", timeout: 2_000 },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}

/**
 * Whether tasks can run in this test: false only when no Docker Engine answers at `dockerHost`
 * (the task steps then skip, saying so). When one answers, the node at `host` must report it
 * (healthz `engineAvailable`) within `timeoutMs` once its agent has started, or this throws.
 */
export async function tasksCanRunOn(host: string, dockerHost: string, timeoutMs = 20_000): Promise<boolean> {
  if (!(await engineAnswers(dockerHost))) return false;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = (await (await fetch(`${host}/healthz`)).json()) as { engineAvailable?: boolean };
    if (health.engineAvailable === true) return true;
    if (Date.now() > deadline)
      throw new Error(
        `the Docker Engine at ${dockerHost} answers, but the node at ${host} does not report it`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}
