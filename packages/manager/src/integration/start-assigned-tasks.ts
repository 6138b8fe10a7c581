import type { Store, Task } from "@shoal/store";
import { TaskState } from "@shoal/store";
import type { Clock } from "../loop/clock.ts";

/**
 * Test helper: the smallest stand-in for the agents. It only moves ASSIGNED tasks whose desired
 * state is RUNNING to RUNNING, as if every container started at once. It never picks a node,
 * never stops a task and never fails one: everything else is left to the real manager loops.
 */
export async function startAssignedTasks(store: Store, clock: Clock): Promise<number> {
  const { value } = await store.batch((tx) => {
    let started = 0;
    for (const task of tx.tasks.byObservedState(TaskState.Assigned)) {
      if (task.desiredState !== TaskState.Running) continue;
      const status: Task["status"] = {
        state: TaskState.Running,
        message: "started",
        timestampMs: clock.nowMs(),
      };
      tx.update("task", { ...task, status });
      started++;
    }
    return started;
  });
  return value;
}
