import type { RestartAttempt, Task } from "@shoal/store";
import { RESTART_HISTORY_MAX, TaskState } from "@shoal/store";
import { sameTaskSpec } from "../task-lifecycle.ts";

/**
 * The message the constraint enforcer leaves on a task it rejected. Such a task is replaced at
 * once and the rejection does not count as a restart attempt (it is not the task's fault).
 */
export const CONSTRAINT_REJECTION_MESSAGE =
  "rejected: the node no longer satisfies the service's constraints";

/** Whether the policy's condition asks for a replacement of this ended task. */
export function conditionAllowsRestart(task: Task): boolean {
  switch (task.spec.restartPolicy.condition) {
    case "none":
      return false;
    case "on-failure":
      return !(task.status.state === TaskState.Complete && (task.status.exitCode ?? 0) === 0);
    case "any":
      return true;
  }
}

/** Restart attempts that count against maxAttempts: those inside the window (all when 0). */
export function attemptsInWindow(
  history: readonly RestartAttempt[],
  windowMs: number,
  nowMs: number,
): number {
  if (windowMs === 0) return history.length;
  return history.filter((a) => a.atMs > nowMs - windowMs).length;
}

/** Whether another attempt is allowed after `task` ended, per maxAttempts and window. */
export function hasAttemptsLeft(task: Task, nowMs: number): boolean {
  const { maxAttempts, windowMs } = task.spec.restartPolicy;
  if (maxAttempts === 0) return true;
  return attemptsInWindow(task.restartHistory, windowMs, nowMs) < maxAttempts;
}

/**
 * The history the replacement of `task` carries: the task's own (while the spec stays the same:
 * a new spec starts a new count) and, when `counted`, the task itself as the newest attempt.
 * Bounded by RESTART_HISTORY_MAX (oldest dropped).
 */
export function nextHistory(
  task: Task,
  newSpec: Task["spec"],
  nowMs: number,
  counted: boolean,
): RestartAttempt[] {
  const kept = sameTaskSpec(task.spec, newSpec) ? [...task.restartHistory] : [];
  if (counted) kept.push({ taskId: task.id, atMs: nowMs, state: task.status.state });
  return kept.slice(-RESTART_HISTORY_MAX);
}

/** When a replacement waiting out its restart delay may start (undefined: no delay to wait). */
export function restartReleaseAtMs(task: Task): number | undefined {
  const last = task.restartHistory.at(-1);
  const delayMs = task.spec.restartPolicy.delayMs;
  if (last === undefined || delayMs === 0) return undefined;
  return last.atMs + delayMs;
}
