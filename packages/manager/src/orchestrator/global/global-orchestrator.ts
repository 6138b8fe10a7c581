import type { Change, Node, ReadView, Service, Task, WriteTx } from "@shoal/store";
import { TaskState } from "@shoal/store";
import { firstBatchError } from "../batch-outcome.ts";
import { ManagerLoop } from "../manager-loop.ts";
import { isNodeLost, takesNewTasks } from "../node-availability.ts";
import type { OrchestratorOptions } from "../orchestrator-options.ts";
import { nodeFitsService } from "../placement-constraints.ts";
import { isGlobal, isRunnable, newTask } from "../task-lifecycle.ts";

/**
 * Keeps one task of every global service on every eligible node (ready, active, constraints
 * satisfied). A node that is paused keeps its task and gets no new one; a node that is drained,
 * down or gone, or no longer satisfies the constraints, gets its task shut down. New tasks are
 * created NEW with their node already chosen (slot 0).
 */
export class GlobalOrchestrator {
  private readonly loop: ManagerLoop;
  private readonly dirtyServices = new Set<string>();
  private readonly dirtyNodes = new Set<string>();

  constructor(private readonly options: OrchestratorOptions) {
    this.loop = new ManagerLoop("global-orchestrator", options.store, this, options);
  }

  readonly kinds = ["service", "task", "node"] as const;

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  reconcileAll(view: ReadView): void {
    for (const service of view.services.all()) if (isGlobal(service)) this.dirtyServices.add(service.id);
  }

  handleChange(change: Change): void {
    if (change.kind === "service") {
      if (change.action !== "delete" && isGlobal(change.object)) this.dirtyServices.add(change.object.id);
    } else if (change.kind === "node") {
      this.dirtyNodes.add(change.object.id);
    } else if (change.kind === "task" && change.object.slot === 0) {
      const old = change.old;
      if (change.action !== "update" || old === undefined || isRunnable(old) !== isRunnable(change.object)) {
        this.dirtyServices.add(change.object.serviceId);
      }
    }
  }

  async tick(): Promise<void> {
    const services = [...this.dirtyServices];
    const nodes = [...this.dirtyNodes];
    this.dirtyServices.clear();
    this.dirtyNodes.clear();
    const result = await this.options.store.batch((tx) => {
      const globals = tx.services.all().filter(isGlobal);
      const allNodes = tx.nodes.all();
      const onlyNodes = nodes.map((id) => tx.nodes.get(id) ?? id);
      for (const service of globals) {
        if (services.includes(service.id)) this.reconcileService(tx, service, allNodes, true);
        else if (onlyNodes.length > 0) this.reconcileService(tx, service, onlyNodes, false);
      }
    });
    const error = firstBatchError(result);
    if (error !== undefined) {
      for (const id of services) this.dirtyServices.add(id);
      for (const id of nodes) this.dirtyNodes.add(id);
      throw error;
    }
  }

  /**
   * Reconciles the service on `nodes` (a node id alone: the node was deleted). With `allNodes`,
   * tasks on nodes not in the list (deleted nodes) are shut down too.
   */
  private reconcileService(
    tx: WriteTx,
    service: Service,
    nodes: readonly (Node | string)[],
    allNodes: boolean,
  ): void {
    const byNode = new Map<string, Task[]>();
    for (const task of tx.tasks.byService(service.id)) {
      if (!isRunnable(task) || task.nodeId === "") continue;
      const list = byNode.get(task.nodeId);
      if (list === undefined) byNode.set(task.nodeId, [task]);
      else list.push(task);
    }
    const nowMs = this.options.clock.nowMs();
    const seen = new Set<string>();
    for (const node of nodes) {
      const nodeId = typeof node === "string" ? node : node.id;
      seen.add(nodeId);
      const tasks = byNode.get(nodeId) ?? [];
      if (typeof node === "string" || isNodeLost(node) || !nodeFitsService(node, service)) {
        for (const task of tasks) tx.update("task", { ...task, desiredState: TaskState.Shutdown });
      } else if (tasks.length === 0 && takesNewTasks(node)) {
        tx.create("task", newTask(service, { slot: 0, nodeId, nowMs }));
      }
    }
    if (!allNodes) return;
    for (const [nodeId, tasks] of byNode) {
      if (seen.has(nodeId)) continue;
      for (const task of tasks) tx.update("task", { ...task, desiredState: TaskState.Shutdown });
    }
  }
}
