/**
 * Where a service stands against its spec, from the service and its tasks (pure: the caller
 * passes what it saw). A slot is done when its current task (desired running) runs the service's
 * current task template; the service has converged when every slot is done and no rolling update
 * is still under way. It has failed when a slot saw FAILED_TASKS_MAX failed tasks since the change
 * being watched, or when the update paused or rolled back.
 */
import { TASK_STATE_NAMES, TaskState } from "@shoal/store";
import type { ServiceView, TaskView } from "../api-types.ts";

/** Named limit: failed or rejected tasks in one slot (since the change) before the CLI gives up. */
export const FAILED_TASKS_MAX = 3;

export interface SlotProgress {
  /** `1/3` (replicated) or the node (global). */
  readonly label: string;
  readonly state: string;
  /** Progress through the task states, 0..1 (1 = running). */
  readonly fraction: number;
  /** The task's message or error, when it says something the user should see. */
  readonly note: string;
  readonly done: boolean;
}

export type ConvergenceState = "progress" | "converged" | "failed" | "paused";

export interface Convergence {
  readonly state: ConvergenceState;
  readonly running: number;
  readonly desired: number;
  readonly slots: readonly SlotProgress[];
  /** Why it failed or paused; what a rolling update says while it runs. */
  readonly reason: string;
}

export interface AssessOptions {
  /** Only tasks and update statuses from this time on count (the watched change's time). */
  readonly sinceMs: number;
  /** `service rollback` waits for rollback_completed; everything else treats it as a failure. */
  readonly expectRollback?: boolean;
  readonly nodeName?: (nodeId: string) => string;
}

const PROGRESS_STATES = [
  TaskState.New,
  TaskState.Pending,
  TaskState.Assigned,
  TaskState.Accepted,
  TaskState.Preparing,
  TaskState.Ready,
  TaskState.Starting,
  TaskState.Running,
];

export function assessConvergence(
  service: ServiceView,
  tasks: readonly TaskView[],
  options: AssessOptions,
): Convergence {
  const mine = tasks.filter((t) => t.serviceId === service.id);
  const template = service.spec.taskTemplate;
  const groups = groupTasks(service, mine, options);
  const slots = groups.map(({ label, tasks: group }) => slotProgress(label, group, template));
  const running = slots.filter((s) => s.done).length;
  const desired = groups.length;
  const failedSlot = groups.find((g) => failuresSince(g.tasks, options.sinceMs) >= FAILED_TASKS_MAX);
  if (failedSlot) {
    const last = newest(failuresOf(failedSlot.tasks, options.sinceMs));
    const why = last?.status.err || last?.status.message || "no reason given";
    return {
      state: "failed",
      running,
      desired,
      slots,
      reason: `task ${failedSlot.label} failed ${FAILED_TASKS_MAX} times: ${why}`,
    };
  }
  const update = service.updateStatus;
  const current = update !== undefined && update.startedAtMs >= options.sinceMs ? update : undefined;
  if (current?.state === "paused") {
    return { state: "paused", running, desired, slots, reason: `update paused: ${current.message}` };
  }
  if (current?.state === "rollback_paused") {
    return { state: "failed", running, desired, slots, reason: `rollback paused: ${current.message}` };
  }
  if (current?.state === "rollback_completed" && !options.expectRollback) {
    return { state: "failed", running, desired, slots, reason: `service rolled back: ${current.message}` };
  }
  const updating = current?.state === "updating" || current?.state === "rollback_started";
  const done = running === desired && !updating;
  return { state: done ? "converged" : "progress", running, desired, slots, reason: current?.message ?? "" };
}

interface TaskGroup {
  readonly label: string;
  readonly tasks: readonly TaskView[];
}

function groupTasks(service: ServiceView, tasks: readonly TaskView[], options: AssessOptions): TaskGroup[] {
  const mode = service.spec.mode;
  if ("replicated" in mode) {
    const n = mode.replicated.replicas;
    return Array.from({ length: n }, (_, i) => ({
      label: `${i + 1}/${n}`,
      tasks: tasks.filter((t) => t.slot === i + 1),
    }));
  }
  const byNode = new Map<string, TaskView[]>();
  for (const t of tasks) {
    if (t.nodeId === "") continue;
    byNode.set(t.nodeId, [...(byNode.get(t.nodeId) ?? []), t]);
  }
  return [...byNode]
    .filter(([, group]) => group.some((t) => t.desiredState <= TaskState.Running))
    .map(([nodeId, group]) => ({ label: options.nodeName?.(nodeId) ?? nodeId.slice(0, 12), tasks: group }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

function slotProgress(label: string, tasks: readonly TaskView[], template: unknown): SlotProgress {
  const current = newest(tasks.filter((t) => t.desiredState <= TaskState.Running));
  if (current === undefined) return { label, state: "new", fraction: 0, note: "", done: false };
  const state = current.status.state;
  const index = PROGRESS_STATES.indexOf(state);
  const fraction = index < 0 ? 0 : index / (PROGRESS_STATES.length - 1);
  const upToDate = deepEqual(current.spec, template);
  const done = state === TaskState.Running && upToDate;
  const note = state === TaskState.Running ? "" : current.status.err || current.status.message;
  return { label, state: TASK_STATE_NAMES[state] ?? String(state), fraction, note: done ? "" : note, done };
}

function failuresOf(tasks: readonly TaskView[], sinceMs: number): TaskView[] {
  return tasks.filter(
    (t) =>
      t.createdAtMs >= sinceMs &&
      (t.status.state === TaskState.Failed || t.status.state === TaskState.Rejected),
  );
}

function failuresSince(tasks: readonly TaskView[], sinceMs: number): number {
  return failuresOf(tasks, sinceMs).length;
}

function newest(tasks: readonly TaskView[]): TaskView | undefined {
  return tasks.reduce<TaskView | undefined>(
    (a, t) => (a === undefined || t.createdAtMs >= a.createdAtMs ? t : a),
    undefined,
  );
}

/** Structural equality that ignores undefined fields (as the orchestrator compares specs). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const kb = Object.keys(rb).filter((k) => rb[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => deepEqual(ra[k], rb[k]));
}
