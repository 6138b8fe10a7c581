/**
 * Collects items and hands them over at most once per animation frame (a hidden tab gets no
 * frames, so there it flushes on a short one-shot timer instead): a burst of live deltas becomes
 * one cache write and one render, however many arrive.
 */
const HIDDEN_FLUSH_MS = 250;

export class FrameBatcher<T> {
  private pending: T[] = [];
  private scheduled: (() => void) | undefined;

  constructor(private readonly flush: (items: T[]) => void) {}

  add(item: T): void {
    this.pending.push(item);
    if (this.scheduled === undefined) this.schedule();
  }

  /** Drops what is pending (the socket closed). */
  cancel(): void {
    this.scheduled?.();
    this.scheduled = undefined;
    this.pending = [];
  }

  private schedule(): void {
    const run = () => {
      this.scheduled = undefined;
      const items = this.pending;
      this.pending = [];
      if (items.length > 0) this.flush(items);
    };
    if (typeof document !== "undefined" && document.visibilityState === "hidden") {
      const timer = setTimeout(run, HIDDEN_FLUSH_MS);
      this.scheduled = () => clearTimeout(timer);
    } else {
      const frame = requestAnimationFrame(run);
      this.scheduled = () => cancelAnimationFrame(frame);
    }
  }
}
