import type { Change, ReadView, Service, Task, WriteTx } from "@shoal/store";
import { TaskState } from "@shoal/store";
import { firstBatchError } from "../batch-outcome.ts";
import { ManagerLoop } from "../manager-loop.ts";
import type { OrchestratorOptions } from "../orchestrator-options.ts";
import { isGlobal, isRunnable, newTask, replicasOf } from "../task-lifecycle.ts";
import { chooseSlotsToRemove, lowestFreeSlots, runnableSlots } from "./slots.ts";

/**
 * Keeps every replicated service at its replica count: tasks live in slots 1..N; scaling up
 * fills the lowest free slots with NEW tasks (desired RUNNING), scaling down marks whole slots
 * desired REMOVE (the task reaper deletes them once they stopped), most crowded nodes and
 * non-running tasks first. Replacing tasks in a slot is the restart supervisor's and the
 * updater's job, not this loop's.
 */
export class ReplicatedOrchestrator {
  private readonly loop: ManagerLoop;
  /** Services to reconcile at the next tick. */
  private readonly dirty = new Set<string>();

  constructor(private readonly options: OrchestratorOptions) {
    this.loop = new ManagerLoop("replicated-orchestrator", options.store, this, options);
  }

  readonly kinds = ["service", "task"] as const;

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  reconcileAll(view: ReadView): void {
    for (const service of view.services.all()) if (!isGlobal(service)) this.dirty.add(service.id);
  }

  handleChange(change: Change): void {
    if (change.kind === "service") {
      if (change.action !== "delete") this.dirty.add(change.object.id);
      else this.dirty.delete(change.object.id);
    } else if (change.kind === "task") {
      const task = change.object;
      const old = change.old;
      if (task.slot === 0) return;
      if (change.action !== "update" || old === undefined || isRunnable(old) !== isRunnable(task)) {
        this.dirty.add(task.serviceId);
      }
    }
  }

  async tick(): Promise<void> {
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) {
      const result = await this.options.store.batch((tx) => this.reconcileService(tx, id));
      const error = firstBatchError(result);
      if (error !== undefined) {
        this.dirty.add(id);
        throw error;
      }
    }
  }

  /** Adds or removes slots of one service; returns how many changed. */
  private reconcileService(tx: WriteTx, serviceId: string): number {
    const service = tx.services.get(serviceId);
    if (service === undefined || isGlobal(service)) return 0;
    const slots = runnableSlots(tx.tasks.byService(serviceId));
    const want = replicasOf(service);
    if (slots.length < want)
      return this.scaleUp(tx, service, new Set(slots.map((s) => s.slot)), want - slots.length);
    let removed = 0;
    for (const slot of chooseSlotsToRemove(slots, want)) {
      for (const task of tx.tasks.bySlot(serviceId, slot.slot)) removed += markRemove(tx, task);
    }
    return removed;
  }

  private scaleUp(tx: WriteTx, service: Service, taken: ReadonlySet<number>, count: number): number {
    const nowMs = this.options.clock.nowMs();
    for (const slot of lowestFreeSlots(taken, count)) tx.create("task", newTask(service, { slot, nowMs }));
    return count;
  }
}

function markRemove(tx: WriteTx, task: Task): number {
  if (task.desiredState === TaskState.Remove) return 0;
  tx.update("task", { ...task, desiredState: TaskState.Remove });
  return 1;
}
