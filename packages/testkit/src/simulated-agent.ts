/**
 * The simulated executor of one node: it takes the tasks the scheduler assigned to its node and
 * moves them ACCEPTED → PREPARING → (READY, while desired READY) → STARTING → RUNNING, one step
 * per `stepLatencyMs`, fails a share of them at start (`failureRate`), stops tasks whose desired
 * state is past RUNNING (→ SHUTDOWN) and ends tasks on command (COMPLETE / FAILED). Every state
 * it reaches is reported through the shared StatusReporter. No containers: nothing but timers.
 */
import { type Task, TaskState, taskStateName } from "@shoal/store";
import type { StatusReporter } from "./status-reporter.ts";
import type { TimerWheel } from "./timer-wheel.ts";

export interface SimulatedExecutorOptions {
  /** Time each step (accept, prepare, start, run) takes. */
  readonly stepLatencyMs: number;
  /** Extra random time per step, in [0, jitterMs). */
  readonly jitterMs: number;
  /** Time a stop takes. */
  readonly stopLatencyMs: number;
  /** Share of tasks, in [0, 1], that fail instead of reaching RUNNING. */
  readonly failureRate: number;
  /** Randomness in [0, 1) for jitter and failures (seed it for repeatable runs). */
  readonly random: () => number;
  readonly nowMs: () => number;
}

export const DEFAULT_SIMULATED_EXECUTOR_OPTIONS: Omit<SimulatedExecutorOptions, "random" | "nowMs"> =
  Object.freeze({ stepLatencyMs: 10, jitterMs: 5, stopLatencyMs: 10, failureRate: 0 });

/** One task as the agent knows it. */
interface AgentTask {
  readonly id: string;
  desired: TaskState;
  // Invariant: state only moves forward.
  state: TaskState;
  /** A step is scheduled on the timer wheel. */
  busy: boolean;
}

export class SimulatedAgent {
  private readonly tasks = new Map<string, AgentTask>();

  constructor(
    readonly nodeId: string,
    private readonly options: SimulatedExecutorOptions,
    private readonly wheel: TimerWheel,
    private readonly reporter: StatusReporter,
  ) {}

  /** Tasks the agent holds that have not ended. */
  get activeTaskCount(): number {
    let n = 0;
    for (const t of this.tasks.values()) if (t.state <= TaskState.Running) n++;
    return n;
  }

  /** The agent's own view of a task's state (undefined if it never had it). */
  stateOf(taskId: string): TaskState | undefined {
    return this.tasks.get(taskId)?.state;
  }

  /**
   * A task assigned to this node was created or changed in the store. With `resync` (a new
   * leader's store), states the store has not heard of yet are reported again.
   */
  handleTask(task: Task, resync = false): void {
    let local = this.tasks.get(task.id);
    if (local === undefined) {
      if (task.status.state < TaskState.Assigned) return;
      if (task.status.state > TaskState.Running) return;
      local = { id: task.id, desired: task.desiredState, state: task.status.state, busy: false };
      this.tasks.set(task.id, local);
    }
    local.desired = task.desiredState;
    if (task.status.state > local.state) local.state = task.status.state;
    else if (resync && task.status.state < local.state) this.report(local, "re-reported");
    this.maybeStep(local);
  }

  /** The task was deleted from the store. */
  forget(taskId: string): void {
    this.tasks.delete(taskId);
  }

  /** Ends a task now as if its container exited (0 → COMPLETE, else FAILED). */
  exit(taskId: string, exitCode: number): boolean {
    const local = this.tasks.get(taskId);
    if (local === undefined || local.state > TaskState.Running) return false;
    local.state = exitCode === 0 ? TaskState.Complete : TaskState.Failed;
    this.report(local, exitCode === 0 ? "finished" : `exit code ${exitCode}`, exitCode);
    return true;
  }

  private maybeStep(local: AgentTask): void {
    if (local.busy || local.state > TaskState.Running) return;
    const stopping = local.desired > TaskState.Running;
    if (!stopping && (local.state === TaskState.Running || isHeldReady(local))) return;
    const o = this.options;
    const delayMs = (stopping ? o.stopLatencyMs : o.stepLatencyMs) + o.random() * o.jitterMs;
    local.busy = true;
    this.wheel.after(delayMs, () => {
      local.busy = false;
      if (this.tasks.get(local.id) !== local) return;
      this.step(local);
      this.maybeStep(local);
    });
  }

  private step(local: AgentTask): void {
    if (local.state > TaskState.Running) return;
    if (local.desired > TaskState.Running) {
      local.state = TaskState.Shutdown;
      this.report(local, "shut down");
      return;
    }
    if (isHeldReady(local)) return;
    const next = nextState(local.state, local.desired);
    if (next === TaskState.Running && this.options.random() < this.options.failureRate) {
      local.state = TaskState.Failed;
      this.report(local, "simulated failure: exit code 1", 1);
      return;
    }
    local.state = next;
    this.report(local, taskStateName(next));
  }

  private report(local: AgentTask, message: string, exitCode?: number): void {
    this.reporter.report({
      taskId: local.id,
      state: local.state,
      message,
      timestampMs: this.options.nowMs(),
      exitCode,
      err: exitCode !== undefined && exitCode !== 0 ? message : undefined,
    });
  }
}

/** A task desired READY waits at READY (a restart delay) until it is released to RUNNING. */
function isHeldReady(t: AgentTask): boolean {
  return t.desired === TaskState.Ready && t.state >= TaskState.Ready;
}

function nextState(state: TaskState, desired: TaskState): TaskState {
  if (state < TaskState.Accepted) return TaskState.Accepted;
  if (state < TaskState.Preparing) return TaskState.Preparing;
  if (state < TaskState.Ready) return TaskState.Ready;
  if (desired <= TaskState.Ready) return TaskState.Ready;
  if (state < TaskState.Starting) return TaskState.Starting;
  return TaskState.Running;
}
