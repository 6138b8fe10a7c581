/**
 * Runs one seed and judges it: a broken Raft invariant or an exception from the core fails it;
 * otherwise the client history is checked for linearizability. A check that runs out of budget
 * is "unknown" — reported on its own and never counted as a pass.
 */
import { describeOp, isUnknown } from "./kv-history.ts";
import { checkHistory } from "./linearizability.ts";
import { describeSeedConfig, type SimOptions, seedConfig } from "./seed-config.ts";
import { Simulation } from "./simulation.ts";

export type SeedVerdict =
  | "pass"
  /** A Raft invariant broke, or the history is not linearizable. */
  | "violation"
  /** The core (or the simulator) threw. */
  | "error"
  /** The checker ran out of budget. */
  | "unknown";

export interface SeedResult {
  readonly seed: number;
  readonly config: string;
  readonly verdict: SeedVerdict;
  readonly reason?: string;
  /** Client operations in the history, and how many ended with an unknown outcome. */
  readonly ops: number;
  readonly unknownOps: number;
  readonly steps: number;
  readonly checkSteps: number;
  readonly traceHash: string;
  /** On failure: the newest trace lines and the smallest history showing a violation. */
  readonly trace?: readonly string[];
  readonly minimalHistory?: readonly string[];
}

export function runSeed(seed: number, options: SimOptions): SeedResult {
  const config = seedConfig(seed, options);
  const sim = new Simulation(config, options);
  const out = sim.run();
  const base = {
    seed,
    config: describeSeedConfig(config),
    ops: out.history.length,
    unknownOps: out.history.filter(isUnknown).length,
    steps: out.stepsRun,
  };
  if (out.failure !== undefined) {
    const verdict = out.failure.startsWith("core threw") ? "error" : "violation";
    const trace = out.trace.tail(options.traceAll ? options.traceLinesMax : 200);
    return { ...base, verdict, reason: out.failure, checkSteps: 0, traceHash: out.trace.hash, trace };
  }
  const check = checkHistory(out.history, options.checkBudget);
  out.trace.mix(check.steps);
  const traceHash = out.trace.hash;
  const all = options.traceAll ? { trace: out.trace.tail(options.traceLinesMax) } : {};
  if (check.verdict === "ok") return { ...base, verdict: "pass", checkSteps: check.steps, traceHash, ...all };
  if (check.verdict === "unknown") {
    return {
      ...base,
      verdict: "unknown",
      reason: `checker budget exhausted on key ${check.key}`,
      checkSteps: check.steps,
      traceHash,
      ...all,
    };
  }
  return {
    ...base,
    verdict: "violation",
    reason: `history of key ${check.key} is not linearizable`,
    checkSteps: check.steps,
    traceHash,
    trace: out.trace.tail(options.traceAll ? options.traceLinesMax : 200),
    minimalHistory: check.minimal.map(describeOp),
  };
}

export function formatFailure(r: SeedResult): string {
  const lines = [`FAIL ${r.config}`, `  ${r.verdict}: ${r.reason ?? ""}`];
  if (r.minimalHistory !== undefined) {
    lines.push("  smallest history showing it ([call, return] on the history clock, ∞ = unknown outcome):");
    for (const op of r.minimalHistory) lines.push(`    ${op}`);
  }
  if (r.trace !== undefined) {
    lines.push(
      `  trace (last ${r.trace.length} events; all of it: npm run test:raft-sim -- --seed ${r.seed} --trace):`,
    );
    for (const t of r.trace) lines.push(`    ${t}`);
  }
  lines.push(`  replay: npm run test:raft-sim -- --seed ${r.seed} --trace`);
  return lines.join("\n");
}
