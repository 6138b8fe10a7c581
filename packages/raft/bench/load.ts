/** Closed-loop load: `clients` workers each issue one write at a time for `seconds`. */

export interface LoadResult {
  readonly writes_per_s: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly writes: number;
  readonly errors: number;
}

export type Put = (client: number, key: string, value: Uint8Array) => Promise<void>;

/** Value size used by every write. */
export const VALUE_BYTES = 256;

export async function runLoad(put: Put, clients: number, seconds: number): Promise<LoadResult> {
  const value = new Uint8Array(VALUE_BYTES).fill(0x61);
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async (client: number): Promise<void> => {
    for (let i = 0; performance.now() < deadline; i++) {
      const t0 = performance.now();
      try {
        await put(client, `key-${client}-${i % 1000}`, value);
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
        if (errors > 1000) throw new Error("too many failed writes");
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, c) => worker(c)));
  const elapsedS = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    writes_per_s: round(latencies.length / elapsedS),
    p50_ms: round(quantile(latencies, 0.5), 3),
    p99_ms: round(quantile(latencies, 0.99), 3),
    writes: latencies.length,
    errors,
  };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

function round(v: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
