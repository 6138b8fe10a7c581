/**
 * Collects items and hands them over at most once per animation frame: a burst of live deltas
 * becomes one cache write and one render, however many arrive. A tab the browser draws seldom
 * (behind another tab, or hidden) gets few frames or none, so a one-shot timer bounds the wait.
 */
const FLUSH_WAIT_MAX_MS = 100;

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
    const frame = requestAnimationFrame(() => {
      clearTimeout(timer);
      run();
    });
    const timer = setTimeout(() => {
      cancelAnimationFrame(frame);
      run();
    }, FLUSH_WAIT_MAX_MS);
    this.scheduled = () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }
}
