import type { Service, Task, TaskSpec } from "@shoal/store";
import { TaskState } from "@shoal/store";

/** The task should run (or get ready to run): it holds its slot. */
export function isRunnable(task: Task): boolean {
  return task.desiredState <= TaskState.Running;
}

/** The task stopped for good (its observed state is past RUNNING). */
export function hasEnded(task: Task): boolean {
  return task.status.state > TaskState.Running;
}

/** The task ended on its own while it was still meant to run. */
export function endedWhileWanted(task: Task): boolean {
  return isRunnable(task) && hasEnded(task);
}

/** The agent may still run it: it was dispatched and has not ended. */
export function mayBeRunning(task: Task): boolean {
  return task.status.state >= TaskState.Assigned && task.status.state <= TaskState.Running;
}

export function isGlobal(service: Service): boolean {
  return "global" in service.spec.mode;
}

export function replicasOf(service: Service): number {
  return "replicated" in service.spec.mode ? service.spec.mode.replicated.replicas : 0;
}

/** A slot's key: the slot number for replicated services, the node for global ones. */
export function slotKeyOf(task: Task): string {
  return task.slot > 0 ? `s${task.slot}` : `n${task.nodeId}`;
}

export interface NewTaskOptions {
  readonly slot: number;
  readonly nodeId?: string;
  readonly desiredState?: TaskState;
  readonly restartHistory?: Task["restartHistory"];
  readonly nowMs: number;
  readonly message?: string;
}

/** A new task of the service's current spec, in state NEW (the allocator takes it from there). */
export function newTask(
  service: Service,
  options: NewTaskOptions,
): Omit<Task, "id" | "version" | "createdAtMs" | "updatedAtMs"> {
  return {
    serviceId: service.id,
    slot: options.slot,
    nodeId: options.nodeId ?? "",
    spec: service.spec.taskTemplate,
    serviceVersion: service.version,
    desiredState: options.desiredState ?? TaskState.Running,
    status: { state: TaskState.New, message: options.message ?? "created", timestampMs: options.nowMs },
    networksAttachments: [],
    restartHistory: options.restartHistory ?? [],
  };
}

const equalCache = new WeakMap<object, WeakSet<object>>();

/** Deep equality of two task specs (cached per object pair: stored objects are frozen). */
export function sameTaskSpec(a: TaskSpec, b: TaskSpec): boolean {
  if (a === b) return true;
  if (equalCache.get(a)?.has(b)) return true;
  const equal = deepEqual(a, b);
  if (equal) {
    let set = equalCache.get(a);
    if (set === undefined) {
      set = new WeakSet();
      equalCache.set(a, set);
    }
    set.add(b);
  }
  return equal;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
