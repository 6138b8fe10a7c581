import type { TaskStatus } from "@shoal/store";
import { sleep, Wakeup } from "./abortable-sleep.ts";
import type { AgentLimits } from "./agent-limits.ts";
import { assert } from "./errors.ts";
import type { StatusReporter, TaskStatusUpdate } from "./session-interface.ts";

export type StatusBatchLimits = Pick<
  AgentLimits,
  | "statusBatchGapMs"
  | "statusBatchDelayMsMax"
  | "statusBatchMax"
  | "statusRetryDelayMsMin"
  | "statusRetryDelayMsMax"
  | "tasksMax"
>;

/**
 * Collects task status updates and sends them to the reporter in batches: a batch leaves once no
 * update arrived for `statusBatchGapMs`, or `statusBatchDelayMsMax` after its first update, holding
 * at most `statusBatchMax` tasks. Only the latest status of a task is kept. A failed batch is
 * retried with doubling backoff, merged with anything newer.
 */
export class StatusBatcher {
  // Invariant: at most one entry per task, the newest status enqueued for it; size <= tasksMax.
  private readonly pending = new Map<string, TaskStatus>();
  private readonly wakeup = new Wakeup();
  private readonly stopper = new AbortController();
  private done: Promise<void> = Promise.resolve();
  private idleWaiters: (() => void)[] = [];
  private firstPendingAtMs = 0;
  private lastEnqueueAtMs = 0;
  private sending = false;

  constructor(
    private readonly reporter: StatusReporter,
    private readonly limits: StatusBatchLimits,
    private readonly nowMs: () => number = Date.now,
  ) {}

  start(): void {
    this.done = this.run(this.stopper.signal);
  }

  /** Stops sending; updates not yet delivered are dropped (the next session re-reports real state). */
  async stop(): Promise<void> {
    this.stopper.abort();
    await this.done;
    this.releaseIdleWaiters();
  }

  enqueue(taskId: string, status: TaskStatus): void {
    const now = this.nowMs();
    if (this.pending.size === 0) this.firstPendingAtMs = now;
    this.lastEnqueueAtMs = now;
    this.pending.set(taskId, status);
    assert(this.pending.size <= this.limits.tasksMax, "pending status updates are bounded by tasksMax");
    this.wakeup.notify();
  }

  /** Resolves once every update enqueued so far has been delivered (or the batcher stopped). */
  flushed(): Promise<void> {
    if (this.pending.size === 0 && !this.sending) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private async run(signal: AbortSignal): Promise<void> {
    let retryDelayMs = this.limits.statusRetryDelayMsMin;
    while (!signal.aborted) {
      if (this.pending.size === 0) {
        this.releaseIdleWaiters();
        await this.wakeup.wait(signal);
        continue;
      }
      await this.maybeWaitForCompany(signal);
      if (signal.aborted) return;
      const batch = this.takeBatch();
      this.sending = true;
      try {
        await this.reporter.reportTaskStatuses(batch, signal);
        retryDelayMs = this.limits.statusRetryDelayMsMin;
      } catch {
        this.putBack(batch);
        await sleep(retryDelayMs, signal);
        retryDelayMs = Math.min(retryDelayMs * 2, this.limits.statusRetryDelayMsMax);
      } finally {
        this.sending = false;
      }
    }
  }

  /** Waits for the gap to pass, but never past the first pending update's deadline. */
  private async maybeWaitForCompany(signal: AbortSignal): Promise<void> {
    while (!signal.aborted && this.pending.size < this.limits.statusBatchMax) {
      const now = this.nowMs();
      const gapEndMs = this.lastEnqueueAtMs + this.limits.statusBatchGapMs;
      const deadlineMs = this.firstPendingAtMs + this.limits.statusBatchDelayMsMax;
      const untilMs = Math.min(gapEndMs, deadlineMs);
      if (untilMs <= now) return;
      await sleep(untilMs - now, signal);
    }
  }

  private takeBatch(): TaskStatusUpdate[] {
    const batch: TaskStatusUpdate[] = [];
    for (const [taskId, status] of this.pending) {
      if (batch.length >= this.limits.statusBatchMax) break;
      batch.push({ taskId, status });
    }
    for (const { taskId } of batch) this.pending.delete(taskId);
    if (this.pending.size > 0) this.firstPendingAtMs = this.nowMs();
    return batch;
  }

  private putBack(batch: readonly TaskStatusUpdate[]): void {
    if (this.pending.size === 0) this.firstPendingAtMs = this.nowMs();
    for (const { taskId, status } of batch) {
      // A newer update enqueued while the batch was in flight wins.
      if (!this.pending.has(taskId)) this.pending.set(taskId, status);
    }
  }

  private releaseIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
