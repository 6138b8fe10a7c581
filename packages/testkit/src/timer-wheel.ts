/**
 * Many short timers on one: callbacks are grouped into buckets of `resolutionMs` and one timer
 * fires the due buckets. Simulated agents schedule a few hundred thousand task transitions; a
 * Node timer each would cost more than the work.
 */
export class TimerWheel {
  private readonly buckets = new Map<number, (() => void)[]>();
  private timer: NodeJS.Timeout | undefined;
  private timerBucket = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly resolutionMs: number,
    private readonly nowMs: () => number = Date.now,
  ) {
    if (!(resolutionMs >= 1)) throw new RangeError("timer wheel: resolutionMs must be >= 1");
  }

  /** Number of callbacks waiting (tests). */
  get size(): number {
    let n = 0;
    for (const b of this.buckets.values()) n += b.length;
    return n;
  }

  /** Calls `fn` once, at or a little after `atMs`. */
  at(atMs: number, fn: () => void): void {
    if (this.stopped) return;
    const bucket = Math.ceil(atMs / this.resolutionMs);
    const list = this.buckets.get(bucket);
    if (list) list.push(fn);
    else this.buckets.set(bucket, [fn]);
    if (bucket < this.timerBucket) this.arm(bucket);
  }

  after(delayMs: number, fn: () => void): void {
    this.at(this.nowMs() + delayMs, fn);
  }

  /** Drops every waiting callback. */
  stop(): void {
    this.stopped = true;
    this.buckets.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(bucket: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timerBucket = bucket;
    this.timer = setTimeout(() => this.fire(), Math.max(0, bucket * this.resolutionMs - this.nowMs()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerBucket = Number.POSITIVE_INFINITY;
    const nowBucket = Math.ceil(this.nowMs() / this.resolutionMs);
    const due = [...this.buckets.keys()].filter((b) => b <= nowBucket).sort((a, b) => a - b);
    for (const b of due) {
      const list = this.buckets.get(b) ?? [];
      this.buckets.delete(b);
      for (const fn of list) fn();
    }
    let next = Number.POSITIVE_INFINITY;
    for (const b of this.buckets.keys()) if (b < next) next = b;
    if (next !== Number.POSITIVE_INFINITY && !this.stopped) this.arm(next);
  }
}
