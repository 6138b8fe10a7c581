/**
 * Real Shoal nodes for the browser tests: the dashboard's server (apps/web/server.ts) and a plain
 * `shoal daemon`, each a child process with its own data dir and ports (output in
 * e2e/artifacts/logs/), talking to the machine's
 * Docker Engine (DOCKER_HOST). `stop()` ends the process by its pid and removes the containers its
 * tasks left behind (by the agent's node label).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export const ROOT = new URL("../..", import.meta.url).pathname;
/** Each node's output, kept after the run (git-ignored). */
const LOGS = new URL("../artifacts/logs/", import.meta.url).pathname;
const HEALTHY_WAIT_MS = 90_000;
const STOP_WAIT_MS = 15_000;

export interface NodeProcess {
  readonly hostname: string;
  readonly url: string;
  readonly listenAddr: string;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** `kind: "dashboard"` runs apps/web/server.ts (needs `npm run build:web`); "daemon" runs `shoal daemon`. */
export async function startNode(
  kind: "dashboard" | "daemon",
  hostname: string,
  workDir: string,
): Promise<NodeProcess> {
  const apiPort = await freePort();
  const listenPort = await freePort();
  const dataDir = join(workDir, hostname);
  mkdirSync(dataDir, { recursive: true });
  const entry = kind === "dashboard" ? ["apps/web/server.ts"] : ["apps/cli/src/main.ts", "daemon"];
  const args = [
    "--import",
    "tsx",
    ...entry,
    "--data-dir",
    dataDir,
    "--api-addr",
    `127.0.0.1:${apiPort}`,
    "--listen-addr",
    `127.0.0.1:${listenPort}`,
    "--hostname",
    hostname,
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  mkdirSync(LOGS, { recursive: true });
  const logPath = join(LOGS, `${hostname}.log`);
  const log = createWriteStream(logPath);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const url = `http://127.0.0.1:${apiPort}`;
  await waitHealthy(url, child, logPath);
  return {
    hostname,
    url,
    listenAddr: `127.0.0.1:${listenPort}`,
    dataDir,
    stop: () => stopProcess(child),
  };
}

/** Runs the CLI (`node --import tsx apps/cli/src/main.ts ...args`) and returns its output. */
export function runCli(args: string[]): string {
  return execFileSync(process.execPath, ["--import", "tsx", "apps/cli/src/main.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
}

async function waitHealthy(url: string, child: ChildProcess, logPath: string): Promise<void> {
  const deadline = Date.now() + HEALTHY_WAIT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the node exited with ${child.exitCode}; see ${logPath}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no answer at ${url}/healthz within ${HEALTHY_WAIT_MS} ms; see ${logPath}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_WAIT_MS);
  await exited;
  clearTimeout(timer);
}

/** Removes the containers Shoal's agents started for these node ids (tests leave none behind). */
export function removeTaskContainers(nodeIds: readonly string[]): void {
  for (const id of nodeIds) {
    try {
      const ids = execFileSync("docker", ["ps", "-aq", "--filter", `label=com.shoal.node.id=${id}`], {
        encoding: "utf8",
      })
        .split("\n")
        .filter(Boolean);
      if (ids.length > 0) execFileSync("docker", ["rm", "-f", ...ids], { stdio: "ignore" });
    } catch {}
  }
}
