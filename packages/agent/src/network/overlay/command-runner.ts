import { execFile } from "node:child_process";
import { AgentError } from "../../errors.ts";

/** Runs one command (argv, no shell) and resolves with its stdout; a non-zero exit rejects. */
export type CommandRunner = (argv: readonly string[]) => Promise<string>;

/** Named limit: a single ip/bridge call that takes longer is given up. */
const COMMAND_TIMEOUT_MS = 10_000;

/**
 * Runs commands on this host, or inside a network namespace with `prefix`
 * (`["nsenter", "--net=/var/run/netns/h1"]`, as the multi-host tests do).
 */
export function localRunner(prefix: readonly string[] = []): CommandRunner {
  return (argv) =>
    new Promise((resolve, reject) => {
      const [file, ...args] = [...prefix, ...argv];
      execFile(file!, args, { timeout: COMMAND_TIMEOUT_MS }, (err, stdout, stderr) => {
        if (err) {
          reject(
            new AgentError("INVALID_CONFIG", `${argv.join(" ")} failed: ${stderr.trim() || err.message}`, {
              cause: err,
            }),
          );
        } else resolve(stdout);
      });
    });
}
