import type { TaskStatus } from "@shoal/store";
import { adoptStatus } from "./controller/adopt-status.ts";
import { type ControllerDeps, TaskController } from "./controller/task-controller.ts";
import { AgentError } from "./errors.ts";
import type { ContainerObservation } from "./executor/executor.ts";
import type { AssignmentChange, TaskAssignment } from "./session-interface.ts";

export interface WorkerOptions extends ControllerDeps {
  tasksMax: number;
  /** Called when something fails outside any task (e.g. removing an orphan container). */
  onError: (err: unknown) => void;
}

/**
 * The set of tasks assigned to this node and one controller per task. Changes to the set are
 * applied one at a time, in order. On a complete set (and on every events-stream reconnection) it
 * reconciles with the engine: containers of assigned tasks are adopted, every other task container
 * is stopped and removed, so no replica runs twice and nothing runs unassigned.
 */
export class Worker {
  // Invariant: exactly the tasks of the current assignment set; size <= tasksMax.
  private readonly controllers = new Map<string, TaskController>();
  private queue: Promise<void> = Promise.resolve();
  private haveCompleteSet = false;
  private readonly removals = new Set<Promise<void>>();

  constructor(private readonly options: WorkerOptions) {}

  controller(taskId: string): TaskController | undefined {
    return this.controllers.get(taskId);
  }

  taskIds(): string[] {
    return [...this.controllers.keys()];
  }

  applyComplete(assignments: readonly TaskAssignment[]): Promise<void> {
    return this.serially(() => this.reconcile(assignments));
  }

  applyChanges(changes: readonly AssignmentChange[]): Promise<void> {
    return this.serially(async () => {
      for (const change of changes) {
        if (change.action === "remove") await this.dropTask(change.taskId);
        else this.upsert(change.assignment, undefined);
      }
    });
  }

  /** After the engine's events stream (re)connects: remove what is unassigned, wake stuck controllers. */
  resync(): Promise<void> {
    return this.serially(async () => {
      if (!this.haveCompleteSet) return;
      const containers = await this.options.executor.listTaskContainers();
      this.removeUnassigned(containers);
      for (const controller of this.controllers.values()) controller.wake();
    });
  }

  /** Stops every controller; containers keep running (a restarted agent adopts them). */
  async close(): Promise<void> {
    await this.serially(async () => {
      await Promise.all([...this.controllers.values()].map((c) => c.close(false)));
      this.controllers.clear();
    });
    await Promise.all(this.removals);
  }

  /** Resolves once orphan removals started so far are done (tests, shutdown). */
  async removalsSettled(): Promise<void> {
    await Promise.all(this.removals);
  }

  private async reconcile(assignments: readonly TaskAssignment[]): Promise<void> {
    if (assignments.length > this.options.tasksMax) {
      throw new AgentError(
        "TOO_MANY_TASKS",
        `${assignments.length} tasks assigned; this agent takes at most ${this.options.tasksMax}`,
      );
    }
    let containers: ContainerObservation[] | undefined;
    try {
      containers = await this.options.executor.listTaskContainers();
    } catch (err) {
      // Engine down: controllers say so per task; the reconnection resync removes orphans later.
      this.options.onError(err);
    }
    const wanted = new Set(assignments.map((a) => a.task.id));
    for (const taskId of [...this.controllers.keys()]) if (!wanted.has(taskId)) await this.dropTask(taskId);
    const byTask = new Map<string, ContainerObservation[]>();
    for (const c of containers ?? []) byTask.set(c.taskId, [...(byTask.get(c.taskId) ?? []), c]);
    for (const assignment of assignments) {
      const found = (byTask.get(assignment.task.id) ?? []).sort((a, b) => b.createdAtMs - a.createdAtMs);
      // Never two containers for one task: keep the newest, remove the rest.
      for (const extra of found.slice(1)) this.removeInBackground(extra.containerId);
      this.upsert(assignment, containers ? { container: found[0] } : undefined);
    }
    this.haveCompleteSet = true;
    if (containers) this.removeUnassigned(containers);
  }

  /** found: what reconciliation saw for the task (undefined when the engine was not asked). */
  private upsert(
    assignment: TaskAssignment,
    found: { container: ContainerObservation | undefined } | undefined,
  ): void {
    const existing = this.controllers.get(assignment.task.id);
    if (existing) {
      existing.update(assignment);
      return;
    }
    if (this.controllers.size >= this.options.tasksMax) {
      this.options.onError(
        new AgentError("TOO_MANY_TASKS", `task ${assignment.task.id} ignored: tasksMax reached`),
      );
      return;
    }
    const known: TaskStatus = assignment.task.status;
    const begin = found
      ? adoptStatus(known, found.container, this.options.nowMs())
      : { status: known, reportNow: false };
    const controller = new TaskController(assignment, this.options, begin);
    this.controllers.set(assignment.task.id, controller);
    controller.start();
  }

  private async dropTask(taskId: string): Promise<void> {
    const controller = this.controllers.get(taskId);
    if (!controller) return;
    this.controllers.delete(taskId);
    const closing = controller.close(true).catch((err) => this.options.onError(err));
    this.track(closing);
  }

  private removeUnassigned(containers: readonly ContainerObservation[]): void {
    for (const c of containers) {
      const controller = this.controllers.get(c.taskId);
      if (controller && controller.currentContainerId === c.containerId) continue;
      if (controller && controller.currentContainerId === undefined) continue;
      this.removeInBackground(c.containerId);
    }
  }

  /** An unassigned or duplicate container: the manager no longer counts it, so it goes at once. */
  private removeInBackground(containerId: string): void {
    this.track(this.options.executor.remove(containerId).catch((err) => this.options.onError(err)));
  }

  private track(work: Promise<void>): void {
    this.removals.add(work);
    void work.finally(() => this.removals.delete(work));
  }

  private serially(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
