/**
 * `npm run test:raft-sim -- --seeds N [--seed S] [--json] [--trace] [--workers N]
 *   [--unsafe-stale-reads] [--steps N]`
 *
 * Runs seeds S .. S+N-1 (S defaults to 1; `--seed S` alone runs just S). Prints every failing
 * seed with its configuration, trace tail and smallest non-linearizable history, then
 * "N passed, N failed" (a seed whose check ran out of budget counts as failed), and with --json
 * a last line {"seeds","violations","unknown","ops","failedSeeds",...}. Exits 1 on any failure.
 */
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { formatFailure, type SeedResult } from "./run-seed.ts";
import { DEFAULT_SIM_OPTIONS, type SimOptions } from "./seed-config.ts";
import { runSeeds } from "./seed-pool.ts";

const TRACE_LINES_ALL = 1_000_000;

function positive(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`--${name} wants a non-negative integer, got ${v}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seeds: { type: "string" },
      seed: { type: "string" },
      json: { type: "boolean", default: false },
      trace: { type: "boolean", default: false },
      workers: { type: "string" },
      steps: { type: "string" },
      "unsafe-stale-reads": { type: "boolean", default: false },
    },
  });
  const first = positive("seed", values.seed, 1);
  const count = positive("seeds", values.seeds, values.seed === undefined ? 100 : 1);
  const workers = positive("workers", values.workers, availableParallelism());
  const options: SimOptions = {
    ...DEFAULT_SIM_OPTIONS,
    unsafeStaleReads: values["unsafe-stale-reads"],
    traceAll: values.trace,
    traceLinesMax: values.trace ? TRACE_LINES_ALL : DEFAULT_SIM_OPTIONS.traceLinesMax,
    ...(values.steps === undefined ? {} : { steps: positive("steps", values.steps, 0) }),
  };
  const seeds = Array.from({ length: count }, (_, i) => first + i);
  const started = performance.now();
  const results = await runSeeds(seeds, options, workers, (r) => {
    if (r.verdict !== "pass") console.log(formatFailure(r));
    else if (values.trace)
      console.log(`${r.config}\n${r.trace?.join("\n") ?? ""}\n  pass, trace ${r.traceHash}`);
  });
  const seconds = (performance.now() - started) / 1000;
  return report(results, seconds, workers, values.json);
}

function report(results: SeedResult[], seconds: number, workers: number, json: boolean): number {
  const count = (v: SeedResult["verdict"]) => results.filter((r) => r.verdict === v).length;
  const violations = count("violation");
  const unknown = count("unknown");
  const failedSeeds = count("error");
  const ops = results.reduce((n, r) => n + r.ops, 0);
  const unknownOps = results.reduce((n, r) => n + r.unknownOps, 0);
  const failed = violations + unknown + failedSeeds;
  const failing = results.filter((r) => r.verdict !== "pass").map((r) => r.seed);
  console.log(
    `raft simulation: ${results.length} seeds in ${seconds.toFixed(1)} s (${(results.length / seconds).toFixed(1)} seeds/s, ` +
      `${workers} workers), ${ops} client ops (${unknownOps} with unknown outcome); ` +
      `violations ${violations}, errors ${failedSeeds}, checker unknown ${unknown}` +
      (failing.length > 0 ? `; failing seeds: ${failing.slice(0, 50).join(" ")}` : ""),
  );
  console.log(`${results.length - failed} passed, ${failed} failed`);
  if (json) {
    const summary = {
      seeds: results.length,
      violations,
      unknown,
      ops,
      failedSeeds,
      unknownOps,
      seconds,
      failing,
    };
    console.log(JSON.stringify(summary));
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
