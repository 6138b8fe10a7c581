import type { Node, Store, Task } from "@shoal/store";
import { TaskState } from "@shoal/store";
import { nodeMatchesConstraints, parseConstraints } from "../../scheduler/constraint.ts";
import { takesNewTasks } from "../node-availability.ts";
import { isRunnable } from "../task-lifecycle.ts";
import type { FakeClock } from "./fake-clock.ts";

/**
 * Test helper that plays the parts the orchestrators do not: the allocator and the scheduler
 * (NEW → PENDING → ASSIGNED, onto the ready active node with the fewest tasks that satisfies the
 * constraints) and the agents (tasks start, fail, complete, stop when asked). Each call is one
 * test step; nothing happens on its own.
 */
export class TestAgent {
  constructor(
    private readonly store: Store,
    private readonly clock: FakeClock,
  ) {}

  /** Assigns every NEW or PENDING runnable task (global tasks keep their node). */
  async schedule(): Promise<number> {
    const { value } = await this.store.batch((tx) => {
      const nodes = tx.nodes.all().filter(takesNewTasks);
      const load = new Map(nodes.map((n) => [n.id, tx.tasks.byNode(n.id).filter(isRunnable).length]));
      const waiting = [
        ...tx.tasks.byObservedState(TaskState.New),
        ...tx.tasks.byObservedState(TaskState.Pending),
      ];
      let assigned = 0;
      for (const task of waiting.sort((a, b) => a.slot - b.slot)) {
        if (!isRunnable(task)) continue;
        const nodeId = task.nodeId !== "" ? task.nodeId : pickNode(nodes, load, task);
        if (nodeId === undefined) continue;
        load.set(nodeId, (load.get(nodeId) ?? 0) + 1);
        tx.update("task", { ...task, nodeId, status: this.status(TaskState.Assigned, "scheduled") });
        assigned++;
      }
      return assigned;
    });
    return value;
  }

  /** Starts every assigned task whose desired state is RUNNING (optionally only some). */
  async startAll(filter: (task: Task) => boolean = () => true): Promise<number> {
    return this.transition(
      (t) =>
        t.desiredState === TaskState.Running &&
        t.status.state >= TaskState.Assigned &&
        t.status.state < TaskState.Running &&
        filter(t),
      TaskState.Running,
      "started",
    );
  }

  /** Stops every task asked to stop (desired SHUTDOWN or REMOVE) that has not ended. */
  async stopAsked(): Promise<number> {
    return this.transition(
      (t) => t.desiredState > TaskState.Running && t.status.state <= TaskState.Running,
      TaskState.Shutdown,
      "shut down",
    );
  }

  /** schedule, start and stop until nothing changes (the orchestrators are not run here). */
  async step(): Promise<void> {
    await this.schedule();
    await this.startAll();
    await this.stopAsked();
  }

  async fail(taskId: string, exitCode = 1): Promise<void> {
    await this.set(taskId, TaskState.Failed, `exit code ${exitCode}`, exitCode);
  }

  async complete(taskId: string): Promise<void> {
    await this.set(taskId, TaskState.Complete, "finished", 0);
  }

  async setNode(nodeId: string, change: (node: Node) => Node): Promise<void> {
    await this.store.update((tx) => {
      const node = tx.nodes.get(nodeId);
      if (node === undefined) throw new Error(`no node ${nodeId}`);
      tx.update("node", change(node));
    });
  }

  private async set(taskId: string, state: TaskState, message: string, exitCode?: number): Promise<void> {
    await this.store.update((tx) => {
      const task = tx.tasks.get(taskId);
      if (task === undefined) throw new Error(`no task ${taskId}`);
      tx.update("task", { ...task, status: { ...this.status(state, message), exitCode } });
    });
  }

  private async transition(match: (t: Task) => boolean, state: TaskState, message: string): Promise<number> {
    const { value } = await this.store.batch((tx) => {
      let n = 0;
      for (const task of tx.tasks.all()) {
        if (!match(task)) continue;
        tx.update("task", { ...task, status: this.status(state, message) });
        n++;
      }
      return n;
    });
    return value;
  }

  private status(state: TaskState, message: string): Task["status"] {
    return { state, message, timestampMs: this.clock.nowMs() };
  }
}

function pickNode(nodes: readonly Node[], load: ReadonlyMap<string, number>, task: Task): string | undefined {
  const constraints = parseConstraints(task.spec.placement.constraints);
  let best: Node | undefined;
  for (const node of nodes) {
    if (!nodeMatchesConstraints(node, constraints)) continue;
    if (best === undefined || (load.get(node.id) ?? 0) < (load.get(best.id) ?? 0)) best = node;
  }
  return best?.id;
}
