/**
 * How the node's network parts (overlays, VIP rules) change things: one operation at a time, in
 * call order, plus a periodic sync that retries what failed and adopts what an earlier run left.
 */
import { sleep } from "../abortable-sleep.ts";

/** Runs operations one at a time, in call order; a failed one does not stop the next. */
export class SerialQueue {
  private chain: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Resolves once everything queued so far has run. */
  async idle(): Promise<void> {
    await this.chain.catch(() => undefined);
  }
}

/** Calls `tick` every `intervalMs` until `signal` aborts; a failed tick goes to `onError`. */
export async function everyInterval(
  intervalMs: number,
  signal: AbortSignal,
  tick: () => Promise<void>,
  onError?: (err: unknown) => void,
): Promise<void> {
  while (!signal.aborted) {
    await sleep(intervalMs, signal).catch(() => undefined);
    if (signal.aborted) return;
    await tick().catch((err) => onError?.(err));
  }
}
