/** Child processes the benchmark starts: spawned, waited on, and always killed by pid. */
import { type ChildProcess, spawn } from "node:child_process";

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  /** Everything written to stderr, for error reports. */
  readonly stderr: string[];
}

/** Every child still running; killed when this process exits, however it exits. */
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const p of live) p.kill("SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => process.exit(130));
}

export function startChild(name: string, command: string, args: string[], env?: NodeJS.ProcessEnv): Child {
  const p = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: env ?? process.env });
  live.add(p);
  p.once("exit", () => live.delete(p));
  const stderr: string[] = [];
  p.stderr?.on("data", (d: Buffer) => {
    stderr.push(d.toString());
    if (stderr.length > 200) stderr.shift();
  });
  p.stdout?.resume();
  return { name, process: p, stderr };
}

/** Kills the child and waits for it to exit (SIGKILL after `graceMs`). */
export async function stopChild(
  child: Child,
  signal: NodeJS.Signals = "SIGTERM",
  graceMs = 3_000,
): Promise<void> {
  const p = child.process;
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.once("exit", () => resolve()));
  p.kill(signal);
  const timer = setTimeout(() => p.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
}
