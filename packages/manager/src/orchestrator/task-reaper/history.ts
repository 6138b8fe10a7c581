import type { Task } from "@shoal/store";
import { TaskState } from "@shoal/store";
import { hasEnded, isRunnable } from "../task-lifecycle.ts";

/** The task is done with and may be deleted: it ended, or was never dispatched to a node. */
export function isStopped(task: Task): boolean {
  return hasEnded(task) || task.status.state < TaskState.Assigned;
}

/**
 * The old tasks of one slot to delete so that at most `keep` remain: the oldest first. Old =
 * no longer desired running and stopped; tasks still stopping are kept until they stop.
 */
export function historyToDelete(slotTasks: readonly Task[], keep: number): Task[] {
  const old = slotTasks.filter((t) => !isRunnable(t) && isStopped(t));
  if (old.length <= keep) return [];
  old.sort((a, b) => b.createdAtMs - a.createdAtMs || b.version - a.version);
  return old.slice(keep);
}
