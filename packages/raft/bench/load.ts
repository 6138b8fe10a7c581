/** Closed-loop load: `clients` workers each issue one write at a time until the round ends. */

export type Put = (client: number, key: string, value: Uint8Array) => Promise<void>;

export interface Round {
  readonly latenciesMs: number[];
  readonly elapsedS: number;
  readonly errors: number;
}

export interface LoadResult {
  readonly writes_per_s: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly writes: number;
  readonly errors: number;
}

/** Value size used by every write. */
export const VALUE_BYTES = 256;
/** Keys per client; the key space is clients × this, so the state machine stays bounded. */
const KEYS_PER_CLIENT = 1000;
/** A round gives up after this many failed writes. */
const ERRORS_MAX = 1000;

export async function runRound(put: Put, clients: number, seconds: number): Promise<Round> {
  const value = new Uint8Array(VALUE_BYTES).fill(0x61);
  const latenciesMs: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async (client: number): Promise<void> => {
    for (let i = 0; performance.now() < deadline; i++) {
      const t0 = performance.now();
      try {
        await put(client, `key-${client}-${i % KEYS_PER_CLIENT}`, value);
        latenciesMs.push(performance.now() - t0);
      } catch (err) {
        if (++errors > ERRORS_MAX) throw new Error(`too many failed writes, last: ${String(err)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, c) => worker(c)));
  return { latenciesMs, elapsedS: (performance.now() - started) / 1000, errors };
}

/** Throughput over all rounds' time; latency quantiles over all rounds' writes. */
export function summarize(rounds: readonly Round[]): LoadResult {
  const all = rounds.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  const elapsedS = rounds.reduce((s, r) => s + r.elapsedS, 0);
  return {
    writes_per_s: round(all.length / elapsedS),
    p50_ms: round(quantile(all, 0.5), 3),
    p99_ms: round(quantile(all, 0.99), 3),
    writes: all.length,
    errors: rounds.reduce((s, r) => s + r.errors, 0),
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
