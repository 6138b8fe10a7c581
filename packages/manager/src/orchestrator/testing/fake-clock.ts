import type { Clock } from "../../loop/clock.ts";

interface Sleeper {
  readonly id: number;
  readonly dueMs: number;
  readonly wake: () => void;
}

/**
 * Test helper: a Clock that only moves when told. Sleeps end from fireDue() (time stands still)
 * or when a test moves time with setNow(); the harness advances through due times in order.
 */
export class FakeClock implements Clock {
  private sleepers: Sleeper[] = [];
  private nextId = 1;

  constructor(private now = 1_000_000) {}

  nowMs(): number {
    return this.now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const sleeper: Sleeper = {
        id: this.nextId++,
        dueMs: this.now + Math.max(0, ms),
        wake: () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          signal?.removeEventListener("abort", sleeper.wake);
          resolve();
        },
      };
      this.sleepers.push(sleeper);
      signal?.addEventListener("abort", sleeper.wake, { once: true });
    });
  }

  /** The earliest due time of a sleep in progress, if any. */
  nextDueMs(): number | undefined {
    let due: number | undefined;
    for (const s of this.sleepers) if (due === undefined || s.dueMs < due) due = s.dueMs;
    return due;
  }

  /** Ends every sleep due by now, in due order; returns how many ended. */
  fireDue(): number {
    const due = this.sleepers.filter((s) => s.dueMs <= this.now);
    due.sort((a, b) => a.dueMs - b.dueMs || a.id - b.id);
    for (const s of due) s.wake();
    return due.length;
  }

  /** Moves time forward to `ms` without waking anyone (the harness's advance() does both). */
  setNow(ms: number): void {
    if (ms < this.now) throw new Error("a fake clock does not go backwards");
    this.now = ms;
  }
}

/**
 * Lets every loop run until nothing changes and no timer is due (time stands still): four quiet
 * turns in a row, where a turn is quiet when no sleeper woke and the store's version stayed.
 */
export async function settleLoops(clock: FakeClock, storeVersion: () => number, what: string): Promise<void> {
  let lastVersion = -1;
  for (let quiet = 0, round = 0; quiet < 4; round++) {
    if (round > 5_000) throw new Error(`${what} did not settle`);
    await new Promise((resolve) => setImmediate(resolve));
    const fired = clock.fireDue();
    const version = storeVersion();
    quiet = fired === 0 && version === lastVersion ? quiet + 1 : 0;
    lastVersion = version;
  }
}

/** Moves time forward by `ms`, firing timers at their due times and settling after each. */
export async function advanceTime(clock: FakeClock, ms: number, settle: () => Promise<void>): Promise<void> {
  const target = clock.nowMs() + ms;
  await settle();
  for (;;) {
    const due = clock.nextDueMs();
    if (due === undefined || due > target) break;
    clock.setNow(Math.max(due, clock.nowMs()));
    await settle();
  }
  clock.setNow(target);
  await settle();
}
