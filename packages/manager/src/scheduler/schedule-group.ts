import type { NodeInfo } from "./node-info.ts";
import { noSuitableNodeMessage, Pipeline } from "./pipeline.ts";
import { buildPlacer } from "./spread-tree.ts";
import type { TaskGroup } from "./task-group.ts";
import { taskLoad } from "./task-load.ts";

export interface GroupDecisions {
  /** Task id → node id, for the tasks placed. */
  readonly assigned: Map<string, string>;
  /** Why the rest could not be placed (undefined when every task was). */
  readonly unplacedMessage: string | undefined;
}

/**
 * Places the tasks of one group, in order. Pure: reads nothing but its arguments, and records each
 * placement on the NodeInfo it chose (so the next group sees it). Cost: one pass of the filters
 * over the nodes, then O(log nodes) per task (O(depth × log values) with spread preferences).
 */
export function scheduleGroup(
  nodes: Iterable<NodeInfo>,
  group: TaskGroup,
  nowMs: number,
  pipeline: Pipeline = new Pipeline(),
): GroupDecisions {
  const assigned = new Map<string, string>();
  if (group.placement === undefined) {
    return { assigned, unplacedMessage: `invalid placement: ${group.placementError ?? "unknown error"}` };
  }
  pipeline.setGroup(group);
  const eligible: { info: NodeInfo; failed: boolean }[] = [];
  for (const info of nodes) {
    if (pipeline.process(info))
      eligible.push({ info, failed: info.hasFailedRecently(group.serviceId, nowMs) });
  }
  const placer = buildPlacer(eligible, group.serviceId, group.placement.spread);
  let i = 0;
  for (; i < group.tasks.length; i++) {
    const task = group.tasks[i];
    if (task === undefined) break;
    const load = taskLoad(task);
    const node = placer.take((info) => {
      info.addTask(task.id, load);
      return pipeline.processAgain(info);
    });
    if (node === undefined) break;
    assigned.set(task.id, node.id);
  }
  const unplacedMessage = i < group.tasks.length ? noSuitableNodeMessage(pipeline.explain()) : undefined;
  return { assigned, unplacedMessage };
}
