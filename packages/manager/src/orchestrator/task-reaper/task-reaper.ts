import type { Change, ReadView, Task, WriteTx } from "@shoal/store";
import { DEFAULT_CLUSTER_SPEC, TaskState } from "@shoal/store";
import { firstBatchError } from "../batch-outcome.ts";
import { ManagerLoop } from "../manager-loop.ts";
import type { OrchestratorOptions } from "../orchestrator-options.ts";
import { slotKeyOf } from "../task-lifecycle.ts";
import { historyToDelete, isStopped } from "./history.ts";

/**
 * Deletes tasks nobody needs: tasks desired REMOVE once they stopped (scale-down), every task of
 * a removed service once it stopped (it first marks them desired REMOVE), and old tasks beyond
 * the cluster's taskHistoryRetentionLimit per slot (per node for global services), oldest first.
 */
export class TaskReaper {
  private readonly loop: ManagerLoop;
  /** Slots to trim, as "serviceId/slotKey". */
  private readonly dirtySlots = new Set<string>();
  /** Tasks desired REMOVE to delete once stopped. */
  private readonly removals = new Set<string>();
  /** The retention limit may have changed: trim every slot. */
  private trimAll = false;
  /** Services deleted (or missing) whose tasks must go. */
  private readonly goneServices = new Set<string>();

  constructor(private readonly options: OrchestratorOptions) {
    this.loop = new ManagerLoop("task-reaper", options.store, this, options);
  }

  readonly kinds = ["task", "service", "cluster"] as const;

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  reconcileAll(view: ReadView): void {
    for (const task of view.tasks.all()) {
      if (view.services.get(task.serviceId) === undefined) this.goneServices.add(task.serviceId);
      else if (task.desiredState === TaskState.Remove) this.removals.add(task.id);
      else this.dirtySlots.add(slotId(task));
    }
  }

  handleChange(change: Change): void {
    if (change.kind === "service" && change.action === "delete") this.goneServices.add(change.object.id);
    else if (change.kind === "cluster") this.trimAll = true;
    else if (change.kind === "task" && change.action !== "delete") {
      const task = change.object;
      if (task.desiredState === TaskState.Remove) this.removals.add(task.id);
      else this.dirtySlots.add(slotId(task));
    }
  }

  async tick(): Promise<void> {
    if (this.trimAll) {
      this.trimAll = false;
      this.options.store.view((view) => {
        for (const task of view.tasks.all()) this.dirtySlots.add(slotId(task));
      });
    }
    const slots = [...this.dirtySlots];
    const removals = [...this.removals];
    const gone = [...this.goneServices];
    this.dirtySlots.clear();
    this.removals.clear();
    this.goneServices.clear();
    const result = await this.options.store.batch((tx) => {
      const deleted = new Set<string>();
      const keep =
        tx.clusters.all()[0]?.spec.orchestration.taskHistoryRetentionLimit ??
        DEFAULT_CLUSTER_SPEC.orchestration.taskHistoryRetentionLimit;
      for (const serviceId of gone) this.reapService(tx, serviceId, deleted);
      for (const id of removals) {
        const task = tx.tasks.get(id);
        if (task !== undefined && task.desiredState === TaskState.Remove) this.maybeDelete(tx, task, deleted);
      }
      for (const key of slots) {
        for (const task of historyToDelete(tasksOfSlot(tx, key), keep)) this.maybeDelete(tx, task, deleted);
      }
    });
    const error = firstBatchError(result);
    if (error !== undefined) {
      for (const key of slots) this.dirtySlots.add(key);
      for (const id of removals) this.removals.add(id);
      for (const id of gone) this.goneServices.add(id);
      throw error;
    }
  }

  private reapService(tx: WriteTx, serviceId: string, deleted: Set<string>): void {
    if (tx.services.get(serviceId) !== undefined) return;
    for (const task of tx.tasks.byService(serviceId)) {
      if (isStopped(task)) this.maybeDelete(tx, task, deleted);
      else if (task.desiredState !== TaskState.Remove)
        tx.update("task", { ...task, desiredState: TaskState.Remove });
    }
  }

  private maybeDelete(tx: WriteTx, task: Task, deleted: Set<string>): void {
    if (deleted.has(task.id) || !isStopped(task)) return;
    deleted.add(task.id);
    tx.delete("task", task);
  }
}

function slotId(task: Task): string {
  return `${task.serviceId}/${slotKeyOf(task)}`;
}

function tasksOfSlot(tx: WriteTx, key: string): Task[] {
  const [serviceId = "", slot = ""] = key.split("/");
  if (slot.startsWith("s")) return tx.tasks.bySlot(serviceId, Number(slot.slice(1)));
  const nodeId = slot.slice(1);
  if (nodeId === "") return [];
  return tx.tasks.byNode(nodeId).filter((t) => t.serviceId === serviceId);
}
