import type { Clock } from "./clock.ts";

/** Batching limits of a manager loop (swarm's: 50 ms gap, 1 s max). */
export interface DebounceLimits {
  /** Emit a batch once no new item came for this long. */
  readonly gapMs: number;
  /** Emit a batch at the latest this long after its first item, however busy the source. */
  readonly delayMsMax: number;
  /** Emit a batch once it holds this many items. */
  readonly itemsMax: number;
}

export const DEFAULT_DEBOUNCE_LIMITS: DebounceLimits = Object.freeze({
  gapMs: 50,
  delayMsMax: 1_000,
  itemsMax: 10_000,
});

export function validateDebounceLimits(limits: DebounceLimits): void {
  if (!(limits.gapMs >= 0 && limits.delayMsMax >= limits.gapMs && limits.itemsMax >= 1)) {
    throw new Error(
      `invalid debounce limits: need 0 <= gapMs <= delayMsMax and itemsMax >= 1 (got ${JSON.stringify(limits)})`,
    );
  }
}

/**
 * Groups items of `source` into batches: a batch starts with the next item and ends after a
 * quiet gap of `gapMs`, `delayMsMax` after its first item, or at `itemsMax` items. Ends when the
 * source ends; errors of the source are thrown from the iteration (after the batch in progress).
 */
export async function* debounce<T>(
  source: AsyncIterable<T>,
  limits: DebounceLimits,
  clock: Clock,
): AsyncGenerator<T[], void, undefined> {
  validateDebounceLimits(limits);
  const it = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | undefined;
  const next = (): Promise<IteratorResult<T>> => {
    pending ??= it.next();
    return pending;
  };
  try {
    for (;;) {
      const first = await next();
      pending = undefined;
      if (first.done === true) return;
      const batch: T[] = [first.value];
      const startMs = clock.nowMs();
      let ended = false;
      while (batch.length < limits.itemsMax) {
        const waitMs = Math.min(limits.gapMs, startMs + limits.delayMsMax - clock.nowMs());
        if (waitMs <= 0) break;
        const timer = new AbortController();
        const got = await Promise.race([
          next().then((r) => ({ r })),
          clock.sleep(waitMs, timer.signal).then(() => undefined),
        ]);
        timer.abort();
        if (got === undefined) break;
        pending = undefined;
        if (got.r.done === true) {
          ended = true;
          break;
        }
        batch.push(got.r.value);
      }
      yield batch;
      if (ended) return;
    }
  } finally {
    // The iterator may be parked in a wait; its signal (the owner's) ends it.
    void it.return?.();
  }
}
