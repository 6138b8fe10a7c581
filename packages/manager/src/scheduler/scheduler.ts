import { type ChangeBatch, type Store, StoreError, type Task, TaskState } from "@shoal/store";
import { type Clock, systemClock } from "../loop/clock.ts";
import {
  DEFAULT_DEBOUNCE_LIMITS,
  type DebounceLimits,
  debounce,
  validateDebounceLimits,
} from "../loop/debounce.ts";
import { SessionLoop } from "../loop/session-loop.ts";
import {
  ASSIGNED_MESSAGE,
  type Decisions,
  PINNED_ASSIGNED_MESSAGE,
  SchedulerState,
} from "./scheduler-state.ts";
import { groupKey } from "./task-group.ts";
import { isTaskSchedulable } from "./task-load.ts";

export interface SchedulerOptions {
  readonly clock?: Clock;
  /** Batching of store changes (swarm's: 50 ms gap, 1 s max). */
  readonly debounce?: Partial<DebounceLimits>;
  /** Told about errors the loop recovered from by starting again from a fresh view. */
  readonly onError?: (error: unknown) => void;
}

/**
 * The scheduler loop (leader only): builds its model from a consistent store view, places the
 * waiting tasks, then consumes the store watch in debounced batches, placing tasks again after
 * each. Decisions are written with store.batch() (large transactions), each task re-read inside
 * the transaction and skipped if it changed meanwhile. A refused write, or a watch that fell
 * behind, makes the loop start again from a fresh view.
 */
export class Scheduler {
  private readonly loop: SessionLoop;
  private readonly clock: Clock;
  private readonly limits: DebounceLimits;
  private state: SchedulerState | undefined;
  /** Passes run (tests and metrics). */
  passes = 0;

  constructor(
    private readonly store: Store,
    private readonly options: SchedulerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.limits = { ...DEFAULT_DEBOUNCE_LIMITS, ...options.debounce };
    validateDebounceLimits(this.limits);
    this.loop = new SessionLoop((signal) => this.session(signal), {
      clock: this.clock,
      retryDelayMs: this.limits.gapMs,
      onError: (e) => this.options.onError?.(e),
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Idempotent; resolves once the loop has ended. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** The model, for tests. */
  get model(): SchedulerState | undefined {
    return this.state;
  }

  private async session(signal: AbortSignal): Promise<void> {
    const { snapshot, changes } = this.store.viewAndWatch(signal, ["node", "task"]);
    this.state = SchedulerState.fromView(snapshot, this.clock.nowMs());
    snapshot.close();
    await this.pass(this.state);
    for await (const batches of debounce(changes, this.limits, this.clock)) {
      if (signal.aborted) return;
      if (this.handleBatches(this.state, batches)) await this.pass(this.state);
    }
  }

  private handleBatches(state: SchedulerState, batches: readonly ChangeBatch[]): boolean {
    let relevant = false;
    for (const batch of batches) {
      for (const change of batch.changes) relevant = state.handleChange(change, batch.timeMs) || relevant;
    }
    return relevant && state.waitingCount > 0;
  }

  private async pass(state: SchedulerState): Promise<void> {
    if (state.waitingCount === 0) return;
    this.passes++;
    const nowMs = this.clock.nowMs();
    const planned = state.waitingTasks();
    const decisions = state.schedule(nowMs);
    if (decisions.assignments.size === 0 && decisions.messages.size === 0) return;
    const result = await this.store.batch((tx) => writeDecisions(tx.tasks, planned, decisions, nowMs, tx));
    for (const taskId of result.value.skipped) state.undoAssignment(taskId);
    if (result.errors.length > 0) {
      throw new StoreError(
        result.errors[0]?.code ?? "version-conflict",
        `scheduler: ${result.errors.length} of ${result.transactionCount} transactions refused; rebuilding`,
      );
    }
  }
}

interface TaskWriter {
  update(kind: "task", task: Task): void;
}

/**
 * Writes the decisions on the tasks as they are now; skips tasks that changed since they were
 * planned (no longer waiting, another spec, or another node: a pinned task keeps its own).
 */
function writeDecisions(
  tasks: { get(id: string): Task | undefined },
  planned: ReadonlyMap<string, Task>,
  decisions: Decisions,
  nowMs: number,
  tx: TaskWriter,
): { skipped: string[] } {
  const skipped: string[] = [];
  for (const [taskId, nodeId] of decisions.assignments) {
    const current = tasks.get(taskId);
    const was = planned.get(taskId);
    if (
      current === undefined ||
      was === undefined ||
      !isTaskSchedulable(current) ||
      current.nodeId !== was.nodeId ||
      groupKey(current) !== groupKey(was)
    ) {
      skipped.push(taskId);
      continue;
    }
    const message = was.nodeId === "" ? ASSIGNED_MESSAGE : PINNED_ASSIGNED_MESSAGE;
    tx.update("task", {
      ...current,
      nodeId,
      status: { state: TaskState.Assigned, message, timestampMs: nowMs },
    });
  }
  for (const [taskId, message] of decisions.messages) {
    const current = tasks.get(taskId);
    const was = planned.get(taskId);
    if (
      current === undefined ||
      !isTaskSchedulable(current) ||
      current.nodeId !== was?.nodeId ||
      current.status.message === message
    )
      continue;
    tx.update("task", { ...current, status: { ...current.status, message, timestampMs: nowMs } });
  }
  return { skipped };
}
