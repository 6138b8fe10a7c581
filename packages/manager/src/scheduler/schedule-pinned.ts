import { nodeName } from "@shoal/store";
import type { NodeInfo } from "./node-info.ts";
import { Pipeline } from "./pipeline.ts";
import type { TaskGroup } from "./task-group.ts";
import { taskLoad } from "./task-load.ts";

export interface PinnedDecisions {
  /** Task id → its own node, for the tasks that node can take. */
  readonly assigned: Map<string, string>;
  /** Task id → why its node cannot take it (every task of the group not assigned). */
  readonly unplaced: Map<string, string>;
}

/**
 * Checks tasks created with their node set (global tasks, rebalance replacements) against the
 * filters for that one node, in order. A task that fits is placed there and recorded on the node's
 * NodeInfo (so the next task, pinned or not, sees what it reserves); one that does not fit gets a
 * message naming the node and the first filter it fails. Pure: reads nothing but its arguments.
 */
export function schedulePinned(
  nodes: ReadonlyMap<string, NodeInfo>,
  group: TaskGroup,
  pipeline: Pipeline = new Pipeline(),
): PinnedDecisions {
  const assigned = new Map<string, string>();
  const unplaced = new Map<string, string>();
  if (group.placement === undefined) {
    const message = `invalid placement: ${group.placementError ?? "unknown error"}`;
    for (const task of group.tasks) unplaced.set(task.id, message);
    return { assigned, unplaced };
  }
  pipeline.setGroup(group);
  for (const task of group.tasks) {
    const info = nodes.get(task.nodeId);
    if (info === undefined) {
      unplaced.set(task.id, pinnedNodeMessage(task.nodeId, undefined, "node not found"));
      continue;
    }
    const failed = pipeline.firstFailure(info);
    if (failed !== undefined) {
      unplaced.set(task.id, pinnedNodeMessage(info.id, nodeName(info.node), failed.reason));
      continue;
    }
    info.addTask(task.id, taskLoad(task));
    assigned.set(task.id, info.id);
  }
  return { assigned, unplaced };
}

/** The PENDING message of a task its own node cannot take: `node abc (host-1) cannot take the task: <reason>`. */
export function pinnedNodeMessage(nodeId: string, name: string | undefined, reason: string): string {
  const named = name === undefined || name === "" ? nodeId : `${nodeId} (${name})`;
  return `node ${named} cannot take the task: ${reason}`;
}
