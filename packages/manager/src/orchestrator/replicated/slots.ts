import type { Task } from "@shoal/store";
import { TaskState } from "@shoal/store";
import { isRunnable } from "../task-lifecycle.ts";

/** The runnable tasks of one slot of a replicated service. */
export interface Slot {
  readonly slot: number;
  /** Tasks that hold the slot (desired state RUNNING or before); usually one. */
  readonly tasks: readonly Task[];
}

/** Groups a service's runnable tasks by slot, in slot order. */
export function runnableSlots(tasks: readonly Task[]): Slot[] {
  const bySlot = new Map<number, Task[]>();
  for (const task of tasks) {
    if (task.slot === 0 || !isRunnable(task)) continue;
    const list = bySlot.get(task.slot);
    if (list === undefined) bySlot.set(task.slot, [task]);
    else list.push(task);
  }
  return [...bySlot.entries()].sort((a, b) => a[0] - b[0]).map(([slot, list]) => ({ slot, tasks: list }));
}

/** The `count` lowest slot numbers not in `taken`. */
export function lowestFreeSlots(taken: ReadonlySet<number>, count: number): number[] {
  const free: number[] = [];
  for (let slot = 1; free.length < count; slot++) if (!taken.has(slot)) free.push(slot);
  return free;
}

function isSlotRunning(slot: Slot): boolean {
  return slot.tasks.some((t) => t.status.state === TaskState.Running);
}

function slotNode(slot: Slot): string {
  return slot.tasks.find((t) => t.nodeId !== "")?.nodeId ?? "";
}

/**
 * Chooses the slots to remove when scaling down to `keep` slots: from the nodes that hold the most
 * slots of the service first, and on each node the slots whose task is not running first, so
 * what remains is balanced and keeps working tasks. Unassigned slots count as one node.
 * Pure and deterministic (ties go to the higher slot number).
 */
export function chooseSlotsToRemove(slots: readonly Slot[], keep: number): Slot[] {
  const excess = slots.length - keep;
  if (excess <= 0) return [];
  // Running slots first, so that each node's non-running slots get the highest ranks.
  const ordered = [...slots].sort((a, b) => {
    const running = Number(isSlotRunning(b)) - Number(isSlotRunning(a));
    return running !== 0 ? running : a.slot - b.slot;
  });
  const perNode = new Map<string, number>();
  const ranked = ordered.map((slot, order) => {
    const node = slotNode(slot);
    const rank = (perNode.get(node) ?? 0) + 1;
    perNode.set(node, rank);
    return { slot, rank, order };
  });
  // Highest rank = the n-th copy on the most crowded node: removed first.
  ranked.sort((a, b) => b.rank - a.rank || b.order - a.order);
  return ranked.slice(0, excess).map((r) => r.slot);
}
