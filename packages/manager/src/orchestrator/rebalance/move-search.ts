import type { Task } from "@shoal/store";
import type { NodeInfo } from "../../scheduler/node-info.ts";
import type { Pipeline } from "../../scheduler/pipeline.ts";
import { type SpreadDescriptor, spreadValue } from "../../scheduler/placement.ts";
import { scheduleGroup } from "../../scheduler/schedule-group.ts";
import { groupTasks } from "../../scheduler/task-group.ts";
import { taskLoad } from "../../scheduler/task-load.ts";
import { chooseSlotsToRemove } from "../replicated/slots.ts";

/** Named limit: source nodes tried (most loaded first) when looking for one move. */
export const REBALANCE_SOURCES_PER_MOVE_MAX = 256;

/** One move: the task to replace and the node its replacement is pinned to. */
export interface Move {
  readonly task: Task;
  readonly fromNodeId: string;
  readonly toNodeId: string;
}

/** What the search reads and changes: the scheduler's model of every node, for one service. */
export interface MoveSearch {
  readonly serviceId: string;
  /** The cluster's nodes with what their tasks hold (the scheduler's model); moves are applied to it. */
  readonly nodes: ReadonlyMap<string, NodeInfo>;
  readonly spread: readonly SpreadDescriptor[];
  readonly pipeline: Pipeline;
  readonly nowMs: number;
}

/**
 * Finds one move that evens out the service's spread, and applies it to the model. For each source
 * node (most tasks of the service first), it takes the task scale-down would take there, lifts it
 * off the node and asks the scheduler's own placement (`scheduleGroup`: filters, spread
 * preferences, node order) where that task would go. The move counts only if it makes the spread
 * more even: at the first spread level where source and target differ (or between the two nodes),
 * the target side ends with no more tasks than the source side keeps. Pure (the model aside).
 */
export function findMove(search: MoveSearch, movable: Map<string, Task[]>): Move | undefined {
  const sources = [...movable.keys()]
    .filter((id) => search.nodes.has(id))
    .sort((a, b) => count(search, b) - count(search, a) || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, REBALANCE_SOURCES_PER_MOVE_MAX);
  for (const fromNodeId of sources) {
    const tasks = movable.get(fromNodeId) ?? [];
    const task = taskToMove(tasks);
    if (task === undefined) continue;
    const toNodeId = tryMove(search, task, fromNodeId);
    if (toNodeId === undefined) continue;
    movable.set(
      fromNodeId,
      tasks.filter((t) => t.id !== task.id),
    );
    return { task, fromNodeId, toNodeId };
  }
  return undefined;
}

/** Scale-down's choice on one node: a task that is not running first, then the highest slot. */
export function taskToMove(tasks: readonly Task[]): Task | undefined {
  if (tasks.length === 0) return undefined;
  const slots = tasks.map((t) => ({ slot: t.slot, tasks: [t] }));
  return chooseSlotsToRemove(slots, slots.length - 1)[0]?.tasks[0];
}

/** The id the placement probe of a task carries in the model. */
export function probeId(task: Task): string {
  return `${task.id}/rebalance`;
}

function tryMove(search: MoveSearch, task: Task, fromNodeId: string): string | undefined {
  const source = search.nodes.get(fromNodeId) as NodeInfo;
  const load = taskLoad(task);
  source.removeTask(task.id);
  const probe: Task = { ...task, id: probeId(task), nodeId: "" };
  const group = groupTasks([probe])[0];
  const placed = group && scheduleGroup(search.nodes.values(), group, search.nowMs, search.pipeline);
  const toNodeId = placed?.assigned.get(probe.id);
  if (toNodeId !== undefined && toNodeId !== fromNodeId && evensOut(search, fromNodeId, toNodeId)) {
    return toNodeId;
  }
  if (toNodeId !== undefined) search.nodes.get(toNodeId)?.removeTask(probe.id);
  source.addTask(task.id, load);
  return undefined;
}

/** With the task already moved in the model: the target side holds no more than the source side. */
function evensOut(search: MoveSearch, fromNodeId: string, toNodeId: string): boolean {
  const from = (search.nodes.get(fromNodeId) as NodeInfo).node;
  const to = (search.nodes.get(toNodeId) as NodeInfo).node;
  for (let level = 0; level < search.spread.length; level++) {
    const d = search.spread[level] as SpreadDescriptor;
    if (spreadValue(from, d) === spreadValue(to, d)) continue;
    const prefix = search.spread.slice(0, level + 1);
    return groupCount(search, to, prefix) <= groupCount(search, from, prefix);
  }
  return count(search, toNodeId) <= count(search, fromNodeId);
}

function count(search: MoveSearch, nodeId: string): number {
  return search.nodes.get(nodeId)?.serviceTasks(search.serviceId) ?? 0;
}

/** Tasks of the service on the nodes that share `like`'s values for every level of `prefix`. */
function groupCount(search: MoveSearch, like: NodeInfo["node"], prefix: readonly SpreadDescriptor[]): number {
  let total = 0;
  for (const info of search.nodes.values()) {
    if (prefix.every((d) => spreadValue(info.node, d) === spreadValue(like, d)))
      total += info.serviceTasks(search.serviceId);
  }
  return total;
}
