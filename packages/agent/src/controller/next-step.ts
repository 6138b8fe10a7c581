import { isTerminalTaskState, TaskState } from "@shoal/store";

/**
 * What a task controller does next, from the task's observed state (owned by the agent) and its
 * desired state (owned by the manager). Pure: the controller runs the step and reports the result.
 *
 * - accept:   ASSIGNED → ACCEPTED
 * - prepare:  ACCEPTED/PREPARING → PREPARING → READY (image, container created); failure → REJECTED
 * - start:    READY/STARTING → STARTING → RUNNING (started, healthy when it has a healthcheck);
 *             failure → FAILED
 * - wait:     RUNNING → COMPLETE (exit 0) | FAILED (non-zero exit, unhealthy, gone)
 * - shutdown: any state before COMPLETE → SHUTDOWN (the container is stopped within its grace period)
 * - remove:   a stopped task whose desired state is REMOVE loses its container
 * - idle:     nothing to do until the desired state changes
 */
export type ControllerStep = "accept" | "prepare" | "start" | "wait" | "shutdown" | "remove" | "idle";

export function nextStep(observed: TaskState, desired: TaskState, hasContainer: boolean): ControllerStep {
  if (desired > TaskState.Running) {
    if (!isTerminalTaskState(observed)) return "shutdown";
    if (desired === TaskState.Remove && hasContainer) return "remove";
    return "idle";
  }
  if (isTerminalTaskState(observed)) return "idle";
  if (observed < TaskState.Accepted) return "accept";
  if (observed < TaskState.Ready) return "prepare";
  // A task desired READY is prepared but not started (swarm uses this for start-first updates).
  if (observed < TaskState.Running) return desired >= TaskState.Running ? "start" : "idle";
  return "wait";
}

/** A status moves only forward: true when `next` may replace `current`. */
export function isForward(current: TaskState, next: TaskState): boolean {
  return next > current;
}
