import type { Service, Task, UpdateConfig } from "@shoal/store";
import { TaskState } from "@shoal/store";
import { CONSTRAINT_REJECTION_MESSAGE } from "../restart/restart-policy.ts";
import { hasEnded, isRunnable, sameTaskSpec, slotKeyOf } from "../task-lifecycle.ts";

/** One slot of a service during an update: its runnable tasks split by spec. */
export interface UpdateSlot {
  readonly key: string;
  /** Runnable tasks of an older spec. */
  readonly old: readonly Task[];
  /** Runnable tasks of the spec being rolled out. */
  readonly fresh: readonly Task[];
}

/** What the updater should do next for one service; a pure function of the store and the time. */
export interface UpdatePlan {
  /** Slots whose tasks are all of an older spec, in the order they are to be updated. */
  readonly dirty: readonly UpdateSlot[];
  /** Slots to replace now (the next batch). */
  readonly replaceNow: readonly UpdateSlot[];
  /** Old tasks to stop now: their slot's new task runs (start-first), or stop-first leftovers. */
  readonly stopNow: readonly Task[];
  /** New tasks of this update that failed (stopped before RUNNING or within monitor). */
  readonly failures: readonly Task[];
  /** failures / slots. */
  readonly failureRatio: number;
  /** Every slot is updated and every new task has run for the monitor period. */
  readonly done: boolean;
  /** When to look again (a delay or a monitor period ends), if waiting on time. */
  readonly wakeAtMs: number | undefined;
  readonly slotCount: number;
}

export interface PlanInput {
  readonly service: Service;
  readonly tasks: readonly Task[];
  readonly config: UpdateConfig;
  readonly nowMs: number;
  /** When the update started (tasks created before it are not this update's). */
  readonly startedAtMs: number;
  /** When a task was seen RUNNING, for tasks that have ended since (watch memory). */
  readonly runningSinceMs: ReadonlyMap<string, number>;
  /** Slots not to replace now (their node is gone: the global orchestrator handles them). */
  readonly skip?: (slot: UpdateSlot) => boolean;
}

/** Groups the service's runnable tasks by slot (slot number, or node for global services). */
export function updateSlots(service: Service, tasks: readonly Task[]): UpdateSlot[] {
  const target = service.spec.taskTemplate;
  const slots = new Map<string, { key: string; old: Task[]; fresh: Task[] }>();
  for (const task of tasks) {
    if (!isRunnable(task) || (task.slot === 0 && task.nodeId === "")) continue;
    const key = slotKeyOf(task);
    let slot = slots.get(key);
    if (slot === undefined) {
      slot = { key, old: [], fresh: [] };
      slots.set(key, slot);
    }
    (sameTaskSpec(task.spec, target) ? slot.fresh : slot.old).push(task);
  }
  return [...slots.values()].sort(compareSlots);
}

function compareSlots(a: UpdateSlot, b: UpdateSlot): number {
  const sa = a.old[0]?.slot ?? a.fresh[0]?.slot ?? 0;
  const sb = b.old[0]?.slot ?? b.fresh[0]?.slot ?? 0;
  return sa - sb || a.key.localeCompare(b.key);
}

function runningSince(task: Task, memory: ReadonlyMap<string, number>): number | undefined {
  return task.status.state === TaskState.Running ? task.status.timestampMs : memory.get(task.id);
}

/** A new task of this update that stopped on its own before RUNNING or within the monitor period. */
export function isUpdateFailure(task: Task, input: PlanInput): boolean {
  const state = task.status.state;
  if (state <= TaskState.Running || state === TaskState.Shutdown) return false;
  if (task.createdAtMs < input.startedAtMs) return false;
  if (!sameTaskSpec(task.spec, input.service.spec.taskTemplate)) return false;
  if (task.status.message === CONSTRAINT_REJECTION_MESSAGE) return false;
  const since = runningSince(task, input.runningSinceMs);
  // Unknown start (it ended before this leader saw it run): count it, the update is still on.
  return since === undefined || task.status.timestampMs - since < input.config.monitorMs;
}

export function planUpdate(input: PlanInput): UpdatePlan {
  const { config, nowMs } = input;
  const slots = updateSlots(input.service, input.tasks);
  const dirty: UpdateSlot[] = [];
  const stopNow: Task[] = [];
  let inFlight = 0;
  let monitoring = false;
  let wakeAtMs: number | undefined;
  let lastStartMs = Number.NEGATIVE_INFINITY;
  const wake = (atMs: number) => {
    wakeAtMs = wakeAtMs === undefined ? atMs : Math.min(wakeAtMs, atMs);
  };
  for (const slot of slots) {
    if (slot.fresh.length === 0) {
      dirty.push(slot);
      continue;
    }
    const live = slot.fresh.filter((t) => !hasEnded(t));
    const started = live
      .map((t) => runningSince(t, input.runningSinceMs))
      .filter((s): s is number => s !== undefined);
    // A slot whose new task ended and stays ended (no restart) is settled: counted as a failure.
    if (live.length > 0 && started.length === 0) inFlight++;
    else if (started.length > 0) {
      const since = Math.max(...started);
      lastStartMs = Math.max(lastStartMs, since);
      if (nowMs < since + config.monitorMs) {
        monitoring = true;
        wake(since + config.monitorMs);
      }
    }
    if (slot.old.length > 0 && (started.length > 0 || config.order === "stop-first"))
      stopNow.push(...slot.old);
  }
  const failures = input.tasks.filter((t) => isUpdateFailure(t, input));
  const slotCount = Math.max(1, slots.length);
  const candidates = dirty.filter((s) => !(input.skip?.(s) ?? false));
  let replaceNow: UpdateSlot[] = [];
  const room = config.parallelism === 0 ? candidates.length : config.parallelism - inFlight;
  if (room > 0 && candidates.length > 0) {
    const allowedAtMs = lastStartMs + config.delayMs;
    if (nowMs >= allowedAtMs) replaceNow = candidates.slice(0, room);
    else wake(allowedAtMs);
  }
  return {
    dirty,
    replaceNow,
    stopNow,
    failures,
    failureRatio: failures.length / slotCount,
    done: dirty.length === 0 && inFlight === 0 && !monitoring,
    wakeAtMs,
    slotCount: slots.length,
  };
}
