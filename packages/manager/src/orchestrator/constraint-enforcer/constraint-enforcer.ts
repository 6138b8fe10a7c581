import type { Change, ReadView } from "@shoal/store";
import { TaskState } from "@shoal/store";
import { firstBatchError } from "../batch-outcome.ts";
import { ManagerLoop } from "../manager-loop.ts";
import type { OrchestratorOptions } from "../orchestrator-options.ts";
import { nodeFitsSpec } from "../placement-constraints.ts";
import { CONSTRAINT_REJECTION_MESSAGE } from "../restart/restart-policy.ts";
import { isGlobal, isRunnable } from "../task-lifecycle.ts";

/**
 * When a node changes (labels, role, ...), rejects the replicated tasks on it whose service's
 * constraints it no longer satisfies: status REJECTED with CONSTRAINT_REJECTION_MESSAGE, desired
 * state left RUNNING, so the restart supervisor replaces them elsewhere at once. (Global tasks
 * are stopped by the global orchestrator.)
 */
export class ConstraintEnforcer {
  private readonly loop: ManagerLoop;
  private readonly dirtyNodes = new Set<string>();

  constructor(private readonly options: OrchestratorOptions) {
    this.loop = new ManagerLoop("constraint-enforcer", options.store, this, options);
  }

  readonly kinds = ["node"] as const;

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  reconcileAll(view: ReadView): void {
    for (const node of view.nodes.all()) this.dirtyNodes.add(node.id);
  }

  handleChange(change: Change): void {
    if (change.kind === "node" && change.action === "update") this.dirtyNodes.add(change.object.id);
  }

  async tick(): Promise<void> {
    const nodes = [...this.dirtyNodes];
    this.dirtyNodes.clear();
    const result = await this.options.store.batch((tx) => {
      const nowMs = this.options.clock.nowMs();
      for (const nodeId of nodes) {
        const node = tx.nodes.get(nodeId);
        if (node === undefined) continue;
        for (const task of tx.tasks.byNode(nodeId)) {
          if (
            !isRunnable(task) ||
            task.status.state < TaskState.Assigned ||
            task.status.state > TaskState.Running
          )
            continue;
          const service = tx.services.get(task.serviceId);
          if (service === undefined || isGlobal(service) || nodeFitsSpec(node, task.spec)) continue;
          tx.update("task", {
            ...task,
            status: {
              ...task.status,
              state: TaskState.Rejected,
              message: CONSTRAINT_REJECTION_MESSAGE,
              err: `node ${node.id} no longer satisfies the constraints of service ${service.spec.name}`,
              timestampMs: nowMs,
            },
          });
        }
      }
    });
    const error = firstBatchError(result);
    if (error !== undefined) {
      for (const id of nodes) this.dirtyNodes.add(id);
      throw error;
    }
  }
}
