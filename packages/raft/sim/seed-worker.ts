/** A worker thread that runs the seeds it is sent and posts back each batch's results. */
import { parentPort } from "node:worker_threads";
import { runSeed } from "./run-seed.ts";
import type { SimOptions } from "./seed-config.ts";

export interface SeedBatch {
  readonly seeds: readonly number[];
  readonly options: SimOptions;
}

const port = parentPort;
if (port === null) throw new Error("seed-worker.ts runs as a worker thread");
port.on("message", (batch: SeedBatch) => {
  port.postMessage(batch.seeds.map((seed) => runSeed(seed, batch.options)));
});
