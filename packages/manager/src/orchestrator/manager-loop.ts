import type { Change, ObjectKind, ReadView, Store } from "@shoal/store";
import { StoreError } from "@shoal/store";
import type { Clock } from "../loop/clock.ts";

/** What a loop does; the ManagerLoop runs it. Handlers only mark work; tick() does it. */
export interface LoopWork {
  /** The kinds of object whose changes the loop watches. */
  readonly kinds: readonly ObjectKind[];
  /** Marks everything the first reconcile must look at. Synchronous: the view expires after. */
  reconcileAll(view: ReadView): void;
  /** Marks what one change makes dirty. Synchronous and cheap. */
  handleChange(change: Change): void;
  /**
   * Does the marked work against the current state. Work that could not be done (a version
   * conflict, say) must be marked again before the promise settles; a rejection is reported and
   * the loop ticks again after `retryDelayMs`.
   */
  tick(): Promise<void>;
}

export interface LoopTiming {
  /** Debounce: a tick runs once no change came for this long... */
  readonly gapMs: number;
  /** ...or this long after the first change marked, whichever is first. */
  readonly delayMsMax: number;
  /** Wait after a failed tick before the next. */
  readonly retryDelayMs: number;
}

/** swarmkit's batching limits. */
export const DEFAULT_LOOP_TIMING: LoopTiming = Object.freeze({
  gapMs: 50,
  delayMsMax: 1_000,
  retryDelayMs: 200,
});

export interface LoopOptions {
  readonly clock: Clock;
  readonly timing?: Partial<LoopTiming>;
  /** Called with errors a tick threw (the loop goes on). */
  readonly onError?: (error: unknown, loop: string) => void;
}

/**
 * Runs one manager loop: reconciles once from a consistent view, then consumes the store's watch
 * until stopped. Change handlers mark work; a debounced tick does it, one tick at a time. A watch
 * that falls behind the history (resync-required) starts again from a fresh view.
 */
export class ManagerLoop {
  private readonly stopper = new AbortController();
  private readonly timing: LoopTiming;
  private done: Promise<void> = Promise.resolve();
  private started = false;
  private cancelTimer: (() => void) | undefined;
  /** When the first change since the last tick was marked (for delayMsMax). */
  private firstMarkMs: number | undefined;
  private ticking: Promise<void> | undefined;
  private tickAgain = false;

  constructor(
    readonly name: string,
    private readonly store: Store,
    private readonly work: LoopWork,
    private readonly options: LoopOptions,
  ) {
    this.timing = { ...DEFAULT_LOOP_TIMING, ...options.timing };
    for (const [key, value] of Object.entries(this.timing)) {
      if (!Number.isFinite(value) || value < 0)
        throw new RangeError(`${name}: ${key} must be >= 0 (got ${value})`);
    }
  }

  get signal(): AbortSignal {
    return this.stopper.signal;
  }

  start(): void {
    if (this.started) throw new Error(`${this.name} was already started: make a new instance`);
    this.started = true;
    this.done = this.run();
  }

  /** Stops watching, cancels timers and waits for a tick in progress. Idempotent. */
  async stop(): Promise<void> {
    this.stopper.abort();
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    await this.done;
    await this.ticking;
  }

  /** Asks for a tick soon (debounced). Timers of the loop's own work call this too. */
  poke(delayMs = this.timing.gapMs): void {
    if (this.stopper.signal.aborted) return;
    const now = this.options.clock.nowMs();
    this.firstMarkMs ??= now;
    const latest = this.firstMarkMs + this.timing.delayMsMax - now;
    this.cancelTimer?.();
    this.cancelTimer = setTimer(this.options.clock, Math.max(0, Math.min(delayMs, latest)), () =>
      this.fire(),
    );
  }

  /** Schedules a poke at an absolute time (for restart delays, update delays, monitors). */
  pokeAt(atMs: number): () => void {
    const delay = Math.max(0, atMs - this.options.clock.nowMs());
    return setTimer(this.options.clock, delay, () => this.poke(0));
  }

  private async run(): Promise<void> {
    const signal = this.stopper.signal;
    while (!signal.aborted) {
      try {
        const { snapshot, changes } = this.store.viewAndWatch(signal, this.work.kinds);
        try {
          this.work.reconcileAll(snapshot);
        } finally {
          snapshot.close();
        }
        this.poke(0);
        for await (const batch of changes) {
          for (const change of batch.changes) this.work.handleChange(change);
          this.poke();
        }
      } catch (error) {
        if (error instanceof StoreError && error.code === "resync-required") continue;
        this.options.onError?.(error, this.name);
        return;
      }
    }
  }

  private fire(): void {
    this.cancelTimer = undefined;
    if (this.stopper.signal.aborted) return;
    if (this.ticking !== undefined) {
      this.tickAgain = true;
      return;
    }
    this.firstMarkMs = undefined;
    this.ticking = this.runTick();
  }

  private async runTick(): Promise<void> {
    let failed = false;
    try {
      await this.work.tick();
    } catch (error) {
      failed = true;
      if (!(error instanceof StoreError && error.code === "version-conflict"))
        this.options.onError?.(error, this.name);
    } finally {
      this.ticking = undefined;
    }
    if (failed) this.poke(this.timing.retryDelayMs);
    else if (this.tickAgain) {
      this.tickAgain = false;
      this.poke(0);
    }
  }
}

/** Calls `fn` once after `delayMs` of the clock; the returned function cancels it. */
export function setTimer(clock: Clock, delayMs: number, fn: () => void): () => void {
  const cancel = new AbortController();
  void clock.sleep(Math.max(0, delayMs), cancel.signal).then(() => {
    if (!cancel.signal.aborted) fn();
  });
  return () => cancel.abort();
}
