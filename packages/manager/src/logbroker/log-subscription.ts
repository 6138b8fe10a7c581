/**
 * One subscription on the leader: which tasks run where, the merge that orders their lines, and
 * the hand-off between publishers (one per node) and the subscriber. Publishers wait while the
 * merge is full; the subscriber waits for lines, for a reorder window to pass, or for the end.
 * Without follow the subscription completes once every node has finished its tasks.
 */
import type { Clock } from "../loop/clock.ts";
import type { LogBrokerLimits } from "./log-broker-limits.ts";
import { LogMerge } from "./log-merge.ts";
import type { LogLineMessage, LogMessage, LogRequest } from "./log-types.ts";

export class LogSubscription {
  private readonly merge: LogMerge;
  /** Node → its tasks whose logs are still expected. */
  private readonly pending = new Map<string, Set<string>>();
  /** Every task that was ever part of the subscription. */
  private readonly known = new Set<string>();
  private wakeReader: (() => void) | undefined;
  private readonly spaceWaiters = new Set<() => void>();
  private readonly closer = new AbortController();

  constructor(
    readonly id: string,
    readonly request: LogRequest,
    /** Task → the node it runs on. */
    readonly taskNodes: ReadonlyMap<string, string>,
    private readonly clock: Clock,
    private readonly limits: LogBrokerLimits,
  ) {
    this.merge = new LogMerge(taskNodes.keys(), {
      bufferedLinesMax: limits.bufferedLinesMax,
      reorderWindowMs: request.follow ? limits.followReorderWindowMs : Number.POSITIVE_INFINITY,
    });
    for (const [taskId, nodeId] of taskNodes) {
      const tasks = this.pending.get(nodeId) ?? new Set<string>();
      tasks.add(taskId);
      this.pending.set(nodeId, tasks);
      this.known.add(taskId);
    }
  }

  /** Follow of services: stays open for tasks that start later, even while none is left. */
  get keepsOpen(): boolean {
    return this.request.follow && this.request.serviceIds.length > 0;
  }

  /** A task that started after the subscription (a new slot, a restart); false if already part of it. */
  addTask(taskId: string, nodeId: string): boolean {
    if (this.known.has(taskId) || this.closer.signal.aborted) return false;
    this.known.add(taskId);
    const tasks = this.pending.get(nodeId) ?? new Set<string>();
    tasks.add(taskId);
    this.pending.set(nodeId, tasks);
    this.merge.addTask(taskId);
    return true;
  }

  /** Nodes that still owe lines. */
  get nodes(): string[] {
    return [...this.pending.keys()];
  }

  /** The node's tasks in this subscription. */
  tasksOn(nodeId: string): string[] {
    return [...(this.pending.get(nodeId) ?? [])];
  }

  /** Aborted when the subscriber went away or the broker stopped. */
  get signal(): AbortSignal {
    return this.closer.signal;
  }

  close(): void {
    this.closer.abort();
    this.wake();
  }

  /** Lines a node published; waits while the merge is full. Lines of others' tasks are dropped. */
  async publish(nodeId: string, lines: readonly LogLineMessage[]): Promise<void> {
    const mine = this.pending.get(nodeId);
    if (!mine) return;
    for (const line of lines) {
      while (this.merge.isFull && !this.closer.signal.aborted) await this.waitForSpace();
      if (this.closer.signal.aborted) return;
      if (mine.has(line.taskId)) this.merge.push({ ...line, nodeId }, this.clock.nowMs());
    }
    this.wake();
  }

  /** The node will send no more lines for these tasks. */
  finishTasks(nodeId: string, taskIds: Iterable<string>): void {
    const mine = this.pending.get(nodeId);
    if (!mine) return;
    for (const taskId of taskIds) {
      if (!mine.delete(taskId)) continue;
      this.merge.finish(taskId);
    }
    if (mine.size === 0) this.pending.delete(nodeId);
    this.wake();
  }

  /** The node's part ended (it closed, or it went away: then `warning` says so). */
  finishNode(nodeId: string, warning?: string): void {
    const mine = this.pending.get(nodeId);
    if (!mine) return;
    if (warning !== undefined) this.merge.warn({ kind: "warning", nodeId, message: warning });
    this.finishTasks(nodeId, [...mine]);
  }

  warn(nodeId: string, message: string): void {
    this.merge.warn({ kind: "warning", nodeId, message });
    this.wake();
  }

  /** The subscriber's side: batches until the subscription completes or `signal` aborts. */
  async *messages(signal: AbortSignal): AsyncGenerator<readonly LogMessage[]> {
    const stop = AbortSignal.any([signal, this.closer.signal]);
    while (!stop.aborted) {
      const batch = this.merge.take(this.clock.nowMs(), this.limits.deliveryBatchLinesMax);
      if (batch.length > 0) {
        this.releaseSpace();
        yield batch;
        continue;
      }
      if (this.merge.isDone && !this.keepsOpen) return;
      await this.waitForWork(stop);
    }
  }

  private async waitForWork(stop: AbortSignal): Promise<void> {
    const deadline = this.merge.nextDeadlineMs();
    const done = new AbortController();
    await new Promise<void>((resolve) => {
      const finish = () => {
        stop.removeEventListener("abort", finish);
        done.abort();
        resolve();
      };
      this.wakeReader = finish;
      stop.addEventListener("abort", finish, { once: true });
      if (deadline !== undefined) {
        void this.clock.sleep(Math.max(0, deadline - this.clock.nowMs()), done.signal).then(finish);
      }
    });
    this.wakeReader = undefined;
  }

  private wake(): void {
    this.wakeReader?.();
    if (this.closer.signal.aborted) this.releaseSpace();
  }

  private waitForSpace(): Promise<void> {
    return new Promise((resolve) => {
      this.spaceWaiters.add(resolve);
      this.wake();
    });
  }

  private releaseSpace(): void {
    for (const resolve of [...this.spaceWaiters]) resolve();
    this.spaceWaiters.clear();
  }
}
