/**
 * iptables inside one container's network namespace, entered by the container's pid
 * (`nsenter -t PID -n`, with the host's iptables binaries). Either backend (nf_tables or legacy)
 * works; the node needs the `iptables` package (iptables-restore) and `nsenter` (util-linux).
 */
import { execFile } from "node:child_process";
import { AgentError } from "../../errors.ts";
import { VIP_CHAIN } from "./vip-rules.ts";

/** Named limit: one iptables call that takes longer is given up. */
const IPTABLES_TIMEOUT_MS = 10_000;

/** Runs argv (no shell) with `input` on stdin; resolves with stdout, rejects on a non-zero exit. */
export type InputRunner = (argv: readonly string[], input?: string) => Promise<string>;

export const localInputRunner: InputRunner = (argv, input) =>
  new Promise((resolve, reject) => {
    const [file, ...args] = argv;
    const child = execFile(file!, args, { timeout: IPTABLES_TIMEOUT_MS }, (err, stdout, stderr) => {
      if (err) {
        reject(
          new AgentError("INVALID_CONFIG", `${argv.join(" ")} failed: ${stderr.trim() || err.message}`, {
            cause: err,
          }),
        );
      } else resolve(stdout);
    });
    child.stdin?.on("error", () => undefined); // a command that reads no input may exit first
    child.stdin?.end(input ?? "");
  });

const MISSING =
  "VIP load balancing needs iptables-restore and nsenter on the node (Debian/Ubuntu: apt-get install iptables util-linux); " +
  "install them, or give the service --endpoint-mode dnsrr";

export class NetnsIptables {
  private checked: Promise<void> | undefined;

  constructor(private readonly run: InputRunner = localInputRunner) {}

  /** Whether the tools are there (once); rejects with what to install. */
  check(): Promise<void> {
    this.checked ??= Promise.all([
      this.run(["iptables-restore", "--version"]),
      this.run(["nsenter", "--version"]),
    ]).then(
      () => undefined,
      (err) => {
        this.checked = undefined;
        throw new AgentError("INVALID_CONFIG", `${MISSING} (${String(err)})`, { cause: err });
      },
    );
    return this.checked;
  }

  /** Replaces both SHOAL-VIP chains in the namespace of `pid` (atomic per table). */
  async restore(pid: number, rules: string): Promise<void> {
    await this.check();
    await this.run(["nsenter", "-t", String(pid), "-n", "iptables-restore", "-w", "--noflush"], rules);
  }

  /** The jumps from OUTPUT into the chains (nat and filter), added once. */
  async ensureJumps(pid: number): Promise<void> {
    for (const table of ["nat", "filter"]) {
      const inNs = ["nsenter", "-t", String(pid), "-n", "iptables", "-w", "-t", table];
      const present = await this.run([...inNs, "-C", "OUTPUT", "-j", VIP_CHAIN]).then(
        () => true,
        () => false,
      );
      if (!present) await this.run([...inNs, "-I", "OUTPUT", "1", "-j", VIP_CHAIN]);
    }
  }
}
