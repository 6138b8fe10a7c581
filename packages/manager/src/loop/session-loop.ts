import type { Clock } from "./clock.ts";

export interface SessionLoopOptions {
  readonly clock: Clock;
  /** Wait after a session failed before starting the next. */
  readonly retryDelayMs: number;
  /** Told about each error that ended a session (the loop goes on from a fresh session). */
  readonly onError?: (error: unknown) => void;
}

/**
 * Runs a loop as a series of sessions until stopped: each session builds its state from a fresh
 * store view and consumes the watch; one that throws (a refused write, a watch that fell behind)
 * is reported and replaced by a new one after `retryDelayMs`. Every session gets its own signal,
 * aborted when it ends or the loop stops. start() runs it once; stop() is idempotent and waits.
 */
export class SessionLoop {
  private readonly stopper = new AbortController();
  private done: Promise<void> = Promise.resolve();
  private started = false;

  constructor(
    private readonly session: (signal: AbortSignal) => Promise<void>,
    private readonly options: SessionLoopOptions,
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.done = this.run(this.stopper.signal);
  }

  /** Idempotent; resolves once the loop has ended. */
  async stop(): Promise<void> {
    this.stopper.abort();
    await this.done;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const session = new AbortController();
      const end = () => session.abort();
      signal.addEventListener("abort", end, { once: true });
      try {
        await this.session(session.signal);
      } catch (e) {
        if (signal.aborted) break;
        this.options.onError?.(e);
        await this.options.clock.sleep(this.options.retryDelayMs, signal);
      } finally {
        session.abort();
        signal.removeEventListener("abort", end);
      }
    }
  }
}
