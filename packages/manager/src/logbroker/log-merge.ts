/**
 * The time-ordered merge of one subscription: a queue per task, filled as nodes publish, drained
 * by `take`. No I/O and no clock: the caller passes `nowMs`.
 *
 * A line goes out when it is the earliest head and either every unfinished task has a line
 * waiting (so nothing earlier can still come: each task's lines arrive in order), or the buffer
 * is full (memory bound; order across tasks is then best effort), or it has waited
 * `reorderWindowMs` (follow: a quiet task must not hold the others back). Without follow the
 * window is infinite, so output is strictly in time order. Lines of one task always keep their
 * order. Warnings go out at once.
 */
import type { LogLineMessage, LogMessage, LogWarningMessage } from "./log-types.ts";

interface Queued {
  readonly message: LogLineMessage;
  readonly arrivedMs: number;
}

export class LogMerge {
  private readonly queues = new Map<string, Queued[]>();
  // Invariant: every open task has a queue; finished tasks leave when their queue empties.
  private readonly open = new Set<string>();
  private warnings: LogWarningMessage[] = [];
  // Invariant: buffered === the sum of the queues' lengths.
  private buffered = 0;

  constructor(
    taskIds: Iterable<string>,
    private readonly limits: { readonly bufferedLinesMax: number; readonly reorderWindowMs: number },
  ) {
    for (const id of taskIds) this.addTask(id);
  }

  addTask(taskId: string): void {
    if (this.queues.has(taskId)) return;
    this.queues.set(taskId, []);
    this.open.add(taskId);
  }

  /** Whether lines of this task are still expected. */
  isOpen(taskId: string): boolean {
    return this.open.has(taskId);
  }

  get bufferedLines(): number {
    return this.buffered;
  }

  get isFull(): boolean {
    return this.buffered >= this.limits.bufferedLinesMax;
  }

  /** Nothing buffered and nothing more to come. */
  get isDone(): boolean {
    return this.open.size === 0 && this.buffered === 0 && this.warnings.length === 0;
  }

  /** Adds a line of an open task (lines of finished or unknown tasks are dropped: false). */
  push(message: LogLineMessage, nowMs: number): boolean {
    if (!this.open.has(message.taskId)) return false;
    this.queues.get(message.taskId)?.push({ message, arrivedMs: nowMs });
    this.buffered++;
    return true;
  }

  finish(taskId: string): void {
    if (!this.open.delete(taskId)) return;
    if (this.queues.get(taskId)?.length === 0) this.queues.delete(taskId);
  }

  warn(warning: LogWarningMessage): void {
    this.warnings.push(warning);
  }

  /** Every message that may go out now, in order; at most `max` lines. */
  take(nowMs: number, max: number): LogMessage[] {
    const out: LogMessage[] = this.warnings;
    this.warnings = [];
    let lines = 0;
    while (lines < max) {
      const head = this.readyHead(nowMs);
      if (head === undefined) break;
      const queue = this.queues.get(head) as Queued[];
      out.push((queue.shift() as Queued).message);
      this.buffered--;
      lines++;
      if (queue.length === 0 && !this.open.has(head)) this.queues.delete(head);
    }
    return out;
  }

  /** When `take` may release a line that is waiting for its reorder window, if any is. */
  nextDeadlineMs(): number | undefined {
    if (!Number.isFinite(this.limits.reorderWindowMs)) return undefined;
    let oldest: number | undefined;
    for (const queue of this.queues.values()) {
      const first = queue[0];
      if (first && (oldest === undefined || first.arrivedMs < oldest)) oldest = first.arrivedMs;
    }
    return oldest === undefined ? undefined : oldest + this.limits.reorderWindowMs;
  }

  /** The task whose head goes out next, or undefined when nothing may go yet. */
  private readyHead(nowMs: number): string | undefined {
    let best: { taskId: string; at: Queued } | undefined;
    let everyOpenHasLine = true;
    let oldestArrivalMs = Number.POSITIVE_INFINITY;
    for (const [taskId, queue] of this.queues) {
      const first = queue[0];
      if (!first) {
        if (this.open.has(taskId)) everyOpenHasLine = false;
        continue;
      }
      oldestArrivalMs = Math.min(oldestArrivalMs, first.arrivedMs);
      if (!best || isEarlier(first.message, best.at.message)) best = { taskId, at: first };
    }
    if (!best) return undefined;
    const windowPassed = nowMs >= oldestArrivalMs + this.limits.reorderWindowMs;
    return everyOpenHasLine || this.isFull || windowPassed ? best.taskId : undefined;
  }

  /** Test hook: the invariants above. */
  checkInvariants(): void {
    let sum = 0;
    for (const queue of this.queues.values()) sum += queue.length;
    if (sum !== this.buffered) throw new Error(`log merge: buffered ${this.buffered} but queues hold ${sum}`);
    for (const id of this.open)
      if (!this.queues.has(id)) throw new Error(`log merge: open task ${id} has no queue`);
  }
}

function isEarlier(a: LogLineMessage, b: LogLineMessage): boolean {
  return a.timestampMs < b.timestampMs || (a.timestampMs === b.timestampMs && a.taskId < b.taskId);
}
