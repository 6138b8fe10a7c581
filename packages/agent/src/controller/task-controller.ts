import { TaskState, type TaskStatus } from "@shoal/store";
import { Wakeup } from "../abortable-sleep.ts";
import { errorMessage } from "../errors.ts";
import type { Executor, NodeIdentity } from "../executor/executor.ts";
import type { TaskAssignment } from "../session-interface.ts";
import { type ControllerStep, isForward, nextStep } from "./next-step.ts";

export interface ControllerDeps {
  executor: Executor;
  node: NodeIdentity;
  /** Called with every new status, in order; the agent batches them to the manager. */
  report: (taskId: string, status: TaskStatus) => void;
  nowMs: () => number;
  /**
   * Called before a task's container gets its stop signal (shutdown, removal): the routing mesh
   * takes the task out of rotation here. A failure is reported and the stop goes on.
   */
  beforeStop?: (task: TaskAssignment["task"]) => Promise<void>;
}

/** Where a controller begins: the manager's last status, or what reconciliation found on the engine. */
export interface ControllerStart {
  status: TaskStatus;
  containerId?: string;
  /** Report `status` at once (reconciliation found something the manager does not know yet). */
  reportNow: boolean;
}

type StatusExtra = Partial<Pick<TaskStatus, "err" | "exitCode" | "hostPorts" | "portBindings">>;

/**
 * Drives one task through its states: ACCEPTED → PREPARING → READY → STARTING → RUNNING →
 * COMPLETE | FAILED, or SHUTDOWN / REJECTED, never backwards. The manager changes only the desired
 * state; a desired state past RUNNING interrupts whatever the controller is waiting on.
 */
export class TaskController {
  // Invariant: status.state only moves forward (isForward), and every change is reported once.
  private status: TaskStatus;
  private assignment: TaskAssignment;
  // Invariant: set from the moment the engine has a container for this task until it is removed.
  private containerId: string | undefined;
  private readonly wakeup = new Wakeup();
  private readonly stopper = new AbortController();
  private stepAbort: AbortController | undefined;
  private done: Promise<void> = Promise.resolve();

  constructor(
    assignment: TaskAssignment,
    private readonly deps: ControllerDeps,
    begin: ControllerStart,
  ) {
    this.assignment = assignment;
    this.status = begin.status;
    this.containerId = begin.containerId;
    if (begin.reportNow) this.deps.report(this.taskId, this.status);
  }

  get taskId(): string {
    return this.assignment.task.id;
  }

  get currentStatus(): TaskStatus {
    return this.status;
  }

  get currentContainerId(): string | undefined {
    return this.containerId;
  }

  start(): void {
    this.done = this.run(this.stopper.signal);
  }

  /** A newer copy of the task from the manager: only its desired state matters to the controller. */
  update(assignment: TaskAssignment): void {
    const before = this.assignment.task.desiredState;
    this.assignment = assignment;
    if (assignment.task.desiredState !== before) {
      if (assignment.task.desiredState > TaskState.Running) this.stepAbort?.abort();
      this.wakeup.notify();
    }
  }

  /** Looks again at what to do (after the engine came back, say). */
  wake(): void {
    this.wakeup.notify();
  }

  /**
   * Stops driving the task. With `removeContainer` (the task is no longer assigned) its container is
   * stopped within the grace period and removed; without (the agent is stopping) it is left running.
   */
  async close(removeContainer: boolean): Promise<void> {
    this.stopper.abort();
    this.stepAbort?.abort();
    this.wakeup.notify();
    await this.done;
    if (removeContainer && this.containerId) {
      await this.runBeforeStop();
      await this.deps.executor.stop(this.containerId, this.gracePeriodMs());
      await this.deps.executor.remove(this.containerId);
      this.containerId = undefined;
    }
  }

  private gracePeriodMs(): number {
    return this.assignment.task.spec.containerSpec.stopGracePeriodMs;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const step = nextStep(
        this.status.state,
        this.assignment.task.desiredState,
        this.containerId !== undefined,
      );
      if (step === "idle") {
        await this.wakeup.wait(signal);
        continue;
      }
      this.stepAbort = new AbortController();
      const stepSignal = AbortSignal.any([signal, this.stepAbort.signal]);
      try {
        await this.runStep(step, stepSignal);
      } catch (err) {
        // An engine call failed outside the expected paths (e.g. during shutdown): say so, try again later.
        if (!stepSignal.aborted) this.noteError(err);
        await this.wakeup.wait(signal);
      } finally {
        this.stepAbort = undefined;
      }
    }
  }

  private async runStep(step: Exclude<ControllerStep, "idle">, signal: AbortSignal): Promise<void> {
    switch (step) {
      case "accept":
        return this.becomeState(TaskState.Accepted, "accepted");
      case "prepare":
        return this.prepare(signal);
      case "start":
        return this.startContainer(signal);
      case "wait":
        return this.waitForExit(signal);
      case "shutdown":
        return this.shutdown();
      case "remove":
        return this.removeContainer();
    }
  }

  private async prepare(signal: AbortSignal): Promise<void> {
    this.becomeState(TaskState.Preparing, "preparing");
    try {
      const container = await this.deps.executor.prepare(this.assignment, this.deps.node, signal);
      this.containerId = container.containerId;
      if (signal.aborted) return;
      this.becomeState(TaskState.Ready, "prepared");
    } catch (err) {
      if (signal.aborted) return;
      this.becomeState(TaskState.Rejected, "rejected", { err: errorMessage(err) });
    }
  }

  private async startContainer(signal: AbortSignal): Promise<void> {
    const containerId = this.containerId;
    if (!containerId) {
      this.becomeState(TaskState.Failed, "failed", { err: "task: no container to start" });
      return;
    }
    this.becomeState(TaskState.Starting, "starting");
    try {
      const started = await this.deps.executor.start(containerId, signal);
      if (signal.aborted) return;
      this.becomeState(TaskState.Running, "started", {
        hostPorts: started.hostPorts,
        ...(started.portBindings ? { portBindings: started.portBindings } : {}),
      });
    } catch (err) {
      if (signal.aborted) return;
      this.becomeState(TaskState.Failed, "starting", { err: errorMessage(err) });
    }
  }

  private async waitForExit(signal: AbortSignal): Promise<void> {
    const containerId = this.containerId;
    if (!containerId) {
      this.becomeState(TaskState.Failed, "failed", { err: "task: the container no longer exists" });
      return;
    }
    try {
      const exit = await this.deps.executor.wait(containerId, signal);
      if (signal.aborted) return;
      if (exit.error)
        this.becomeState(TaskState.Failed, "started", { err: exit.error, exitCode: exit.exitCode });
      else this.becomeState(TaskState.Complete, "finished", { exitCode: exit.exitCode });
    } catch (err) {
      if (signal.aborted) return;
      this.becomeState(TaskState.Failed, "started", { err: errorMessage(err) });
    }
  }

  private async shutdown(): Promise<void> {
    const containerId = this.containerId;
    if (!containerId) {
      this.becomeState(TaskState.Shutdown, "shutdown");
      return;
    }
    await this.runBeforeStop();
    await this.deps.executor.stop(containerId, this.gracePeriodMs());
    const stopped = await this.deps.executor.inspect(containerId);
    const extra: StatusExtra = stopped ? { exitCode: stopped.exitCode } : {};
    this.becomeState(TaskState.Shutdown, "shutdown", extra);
  }

  private async removeContainer(): Promise<void> {
    const containerId = this.containerId;
    if (containerId) await this.deps.executor.remove(containerId);
    this.containerId = undefined;
  }

  private async runBeforeStop(): Promise<void> {
    try {
      await this.deps.beforeStop?.(this.assignment.task);
    } catch (err) {
      this.noteError(err);
    }
  }

  private noteError(err: unknown): void {
    this.status = { ...this.status, err: errorMessage(err), timestampMs: this.deps.nowMs() };
    this.deps.report(this.taskId, this.status);
  }

  /** Moves the task forward; a transition that would not be forward is dropped. */
  private becomeState(state: TaskState, message: string, extra: StatusExtra = {}): void {
    if (!isForward(this.status.state, state)) return;
    const next: TaskStatus = { state, message, timestampMs: this.deps.nowMs() };
    if (this.containerId) next.containerId = this.containerId;
    if (extra.err) next.err = extra.err;
    if (extra.exitCode !== undefined) next.exitCode = extra.exitCode;
    const hostPorts = extra.hostPorts ?? this.status.hostPorts;
    if (hostPorts && hostPorts.length > 0) next.hostPorts = hostPorts;
    const portBindings = extra.portBindings ?? this.status.portBindings;
    if (portBindings && portBindings.length > 0) next.portBindings = portBindings;
    this.status = next;
    this.deps.report(this.taskId, next);
  }
}
