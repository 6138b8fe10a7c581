/**
 * When to re-dial a peer after a failure: capped exponential backoff with one pending timer.
 * The first retry waits delayMinMs; each further failure doubles the wait up to delayMaxMs;
 * reset() (after a successful connect, or a new address) starts again from delayMinMs.
 */
export interface ReconnectBackoffLimits {
  readonly delayMinMs: number;
  readonly delayMaxMs: number;
}

export class ReconnectBackoff {
  private delayMs: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly limits: ReconnectBackoffLimits) {
    this.delayMs = limits.delayMinMs;
  }

  reset(): void {
    this.delayMs = this.limits.delayMinMs;
  }

  /** Calls `redial` after the current delay (the timer does not hold the process open). */
  schedule(redial: () => void): void {
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.limits.delayMaxMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      redial();
    }, delay);
    this.timer.unref();
  }

  /** Drops a pending re-dial, if any. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
