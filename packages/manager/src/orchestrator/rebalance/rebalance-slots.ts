import type { Service, Task } from "@shoal/store";
import { TaskState } from "@shoal/store";
import { runnableSlots } from "../replicated/slots.ts";
import { hasEnded, sameTaskSpec } from "../task-lifecycle.ts";

/** A move under way: the slot's old task and the replacement pinned to the target node. */
export interface InFlightMove {
  readonly old: readonly Task[];
  readonly fresh: Task;
}

/** A replicated service's tasks as the rebalancer sees them. */
export interface RebalanceSlots {
  /** Slots held by one assigned task of the current spec that has not ended: may be moved. */
  readonly movable: readonly Task[];
  /** Slots with a replacement next to the old task (start-first), not yet ended. */
  readonly moves: readonly InFlightMove[];
  /**
   * Replacements of this rebalance that ended on their own while the slot's older task still
   * held it: the move failed (a failed replacement never stops the old task, so this is durable).
   */
  readonly failures: readonly Task[];
}

/**
 * Sorts a service's tasks into movable slots, moves in flight and failed moves. A slot with tasks
 * of different specs belongs to the updater: neither movable nor a move. Pure.
 */
export function readRebalanceSlots(
  service: Service,
  tasks: readonly Task[],
  startedAtMs: number,
): RebalanceSlots {
  const template = service.spec.taskTemplate;
  const movable: Task[] = [];
  const moves: InFlightMove[] = [];
  for (const slot of runnableSlots(tasks)) {
    if (!slot.tasks.every((t) => sameTaskSpec(t.spec, template))) continue;
    const live = slot.tasks.filter((t) => !hasEnded(t));
    if (live.length === 1 && slot.tasks.length === 1) {
      const task = live[0] as Task;
      if (task.nodeId !== "" && task.desiredState === TaskState.Running) movable.push(task);
      continue;
    }
    if (live.length < 2) continue;
    const ordered = [...live].sort(byCreation);
    const fresh = ordered.at(-1) as Task;
    moves.push({ old: ordered.slice(0, -1), fresh });
  }
  const failures = tasks.filter((t) => isFailedMove(t, tasks, template, startedAtMs));
  return { movable, moves, failures };
}

function byCreation(a: Task, b: Task): number {
  return a.createdAtMs - b.createdAtMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function isFailedMove(
  task: Task,
  all: readonly Task[],
  template: Service["spec"]["taskTemplate"],
  startedAtMs: number,
): boolean {
  if (task.slot === 0 || !hasEnded(task) || task.status.state === TaskState.Shutdown) return false;
  if (task.createdAtMs < startedAtMs || !sameTaskSpec(task.spec, template)) return false;
  return all.some(
    (t) =>
      t.id !== task.id &&
      t.slot === task.slot &&
      t.createdAtMs < task.createdAtMs &&
      t.desiredState <= TaskState.Running &&
      !hasEnded(t) &&
      sameTaskSpec(t.spec, template),
  );
}
