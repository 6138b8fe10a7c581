/**
 * Task states in swarm's numeric order (the same numbers swarmkit uses), so `a < b` means "a comes
 * before b". A task only moves forward: an observed status that would move it backwards is ignored.
 * Managers own the states up to ASSIGNED, the agent owns the rest. REMOVE is a desired state only.
 */
export enum TaskState {
  New = 0,
  Pending = 64,
  Assigned = 192,
  Accepted = 256,
  Preparing = 320,
  Ready = 384,
  Starting = 448,
  Running = 512,
  Complete = 576,
  Shutdown = 640,
  Failed = 704,
  Rejected = 768,
  /** Desired state only: the task should be shut down and then deleted. */
  Remove = 800,
  /** The node the task ran on is gone; its real state is unknown. */
  Orphaned = 832,
}

/** Lower-case names as docker prints them (`running`, `shutdown`, ...). */
export const TASK_STATE_NAMES: Readonly<Record<TaskState, string>> = Object.freeze({
  [TaskState.New]: "new",
  [TaskState.Pending]: "pending",
  [TaskState.Assigned]: "assigned",
  [TaskState.Accepted]: "accepted",
  [TaskState.Preparing]: "preparing",
  [TaskState.Ready]: "ready",
  [TaskState.Starting]: "starting",
  [TaskState.Running]: "running",
  [TaskState.Complete]: "complete",
  [TaskState.Shutdown]: "shutdown",
  [TaskState.Failed]: "failed",
  [TaskState.Rejected]: "rejected",
  [TaskState.Remove]: "remove",
  [TaskState.Orphaned]: "orphaned",
});

/** Every state, in order. */
export const TASK_STATES: readonly TaskState[] = Object.freeze(
  Object.values(TaskState)
    .filter((v): v is TaskState => typeof v === "number")
    .sort((a, b) => a - b),
);

export function taskStateName(state: TaskState): string {
  return TASK_STATE_NAMES[state] ?? `unknown(${state})`;
}

/** A task in this observed state has stopped for good (it will never run again). */
export function isTerminalTaskState(state: TaskState): boolean {
  return state > TaskState.Running;
}

/** States the manager side may set; the agent reports everything after ASSIGNED. */
export function isManagerOwnedTaskState(state: TaskState): boolean {
  return state <= TaskState.Assigned;
}
