/**
 * Runs many seeds, in this thread or spread over worker threads. Workers are started through
 * tsx's loader so they run the same TypeScript sources; seeds go out in small batches so a slow
 * seed does not hold the others back. Results come back sorted by seed.
 */
import { Worker } from "node:worker_threads";
import { runSeed, type SeedResult } from "./run-seed.ts";
import type { SimOptions } from "./seed-config.ts";
import type { SeedBatch } from "./seed-worker.ts";

const BATCH_SEEDS_MAX = 4;

export async function runSeeds(
  seeds: readonly number[],
  options: SimOptions,
  workersMax: number,
  onResult: (r: SeedResult) => void,
): Promise<SeedResult[]> {
  const workers = Math.max(1, Math.min(workersMax, Math.ceil(seeds.length / BATCH_SEEDS_MAX)));
  const results: SeedResult[] = [];
  if (workers === 1) {
    for (const seed of seeds) {
      const r = runSeed(seed, options);
      results.push(r);
      onResult(r);
    }
    return results;
  }
  let next = 0;
  const takeBatch = (): number[] => {
    const batch = seeds.slice(next, next + BATCH_SEEDS_MAX);
    next += batch.length;
    return batch;
  };
  await Promise.all(
    Array.from({ length: workers }, () =>
      runWorker(options, takeBatch, (r) => {
        results.push(r);
        onResult(r);
      }),
    ),
  );
  return results.sort((a, b) => a.seed - b.seed);
}

function startWorker(): Worker {
  const api = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./seed-worker.ts", import.meta.url).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true });
}

function runWorker(
  options: SimOptions,
  takeBatch: () => number[],
  onResult: (r: SeedResult) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = startWorker();
    const send = () => {
      const seeds = takeBatch();
      if (seeds.length === 0) {
        void worker.terminate().then(() => resolve());
        return;
      }
      worker.postMessage({ seeds, options } satisfies SeedBatch);
    };
    worker.on("message", (batch: SeedResult[]) => {
      for (const r of batch) onResult(r);
      send();
    });
    worker.on("error", reject);
    send();
  });
}
