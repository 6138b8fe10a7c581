import { isTerminalTaskState, type TaskState, type TaskStatus, taskStateName } from "@shoal/store";
import type {
  AssignmentChange,
  AssignmentMessage,
  AssignmentSource,
  StatusReporter,
  TaskAssignment,
  TaskFileChange,
  TaskFileObject,
  TaskStatusUpdate,
} from "../session-interface.ts";

/**
 * Stands in for the session with the dispatcher: holds this node's assignment set (as the manager
 * would), streams it (complete set, then numbered changes), and records reported statuses, folding
 * them back into the tasks it holds as the manager does.
 */
export class FakeSession implements AssignmentSource, StatusReporter {
  readonly tasks = new Map<string, TaskAssignment>();
  /** Secrets and configs held for this node, by id. */
  readonly files = new Map<string, TaskFileObject>();
  readonly reports: TaskStatusUpdate[] = [];
  private queue: { changes: AssignmentChange[]; fileChanges: TaskFileChange[] }[] = [];
  private notifyStream: (() => void) | undefined;
  private readonly statusWaiters = new Set<() => void>();
  private sequence = 0;

  async *assignments(signal: AbortSignal): AsyncGenerator<AssignmentMessage> {
    this.queue = [];
    this.sequence += 1;
    yield {
      type: "complete",
      sequence: this.sequence,
      assignments: [...this.tasks.values()],
      files: [...this.files.values()],
    };
    while (!signal.aborted) {
      const next = this.queue.shift();
      if (next) {
        this.sequence += 1;
        yield { type: "incremental", sequence: this.sequence, ...next };
        continue;
      }
      await new Promise<void>((resolve) => {
        this.notifyStream = resolve;
        signal.addEventListener("abort", () => resolve(), { once: true });
      });
    }
  }

  async reportTaskStatuses(updates: readonly TaskStatusUpdate[]): Promise<void> {
    for (const update of updates) {
      this.reports.push(update);
      const held = this.tasks.get(update.taskId);
      if (held && update.status.state >= held.task.status.state) {
        this.tasks.set(update.taskId, { ...held, task: { ...held.task, status: update.status } });
      }
    }
    for (const wake of [...this.statusWaiters]) wake();
  }

  assign(assignment: TaskAssignment): void {
    this.tasks.set(assignment.task.id, assignment);
    this.push([{ action: "update", assignment }]);
  }

  setDesiredState(taskId: string, desiredState: TaskState): void {
    const held = this.tasks.get(taskId);
    if (!held) throw new Error(`no task ${taskId}`);
    const assignment = { ...held, task: { ...held.task, desiredState } };
    this.tasks.set(taskId, assignment);
    this.push([{ action: "update", assignment }]);
  }

  /** Gives this node a secret or config, as the dispatcher does before a task needing it. */
  putFile(file: TaskFileObject): void {
    this.files.set(file.object.id, file);
    this.push([], [{ action: "update", file }]);
  }

  unassign(taskId: string): void {
    this.tasks.delete(taskId);
    this.push([{ action: "remove", taskId }]);
  }

  /** States reported for a task, in order. */
  statesOf(taskId: string): TaskState[] {
    return this.reports.filter((r) => r.taskId === taskId).map((r) => r.status.state);
  }

  latest(taskId: string): TaskStatus | undefined {
    return this.reports.findLast((r) => r.taskId === taskId)?.status;
  }

  /** Waits until the task's reported state is at least `state`; fails if it ends elsewhere first. */
  async waitForState(taskId: string, state: TaskState, timeoutMs = 15_000): Promise<TaskStatus> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = this.latest(taskId);
      if (status && status.state === state) return status;
      if (status && (status.state > state || (isTerminalTaskState(status.state) && status.state !== state))) {
        throw new Error(
          `task ${taskId} reached ${taskStateName(status.state)} (${status.err ?? status.message}), expected ${taskStateName(state)}`,
        );
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `task ${taskId}: no ${taskStateName(state)} within ${timeoutMs} ms (last: ${status ? taskStateName(status.state) : "none"})`,
        );
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.statusWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.statusWaiters.add(done);
      });
    }
  }

  private push(changes: AssignmentChange[], fileChanges: TaskFileChange[] = []): void {
    this.queue.push({ changes, fileChanges });
    this.notifyStream?.();
    this.notifyStream = undefined;
  }
}
