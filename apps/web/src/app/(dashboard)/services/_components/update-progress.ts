/**
 * Where a rolling update stands, derived from the live task list: for each slot, whether its task
 * runs the old spec, is being replaced, or runs the new spec (and is still being monitored).
 * Pure: the caller passes `nowMs`.
 */
import { isDesiredRunning, TASK_STATE } from "@/lib/task-states.ts";
import type { ServiceItem, TaskItem } from "@/lib/trpc-client.ts";

export type SlotPhase = "old" | "updating" | "monitoring" | "new";

export interface SlotProgress {
  slot: number;
  phase: SlotPhase;
  /** For "monitoring": ms left in the monitor window. */
  monitorLeftMs?: number;
}

export interface Batch {
  index: number;
  slots: SlotProgress[];
  state: "done" | "in progress" | "waiting";
}

export function slotProgress(
  service: ServiceItem,
  tasks: readonly TaskItem[],
  nowMs: number,
): SlotProgress[] {
  const wanted = stableJson(service.spec.taskTemplate);
  const bySlot = new Map<number, TaskItem[]>();
  for (const task of tasks) {
    const key = task.slot || hashNode(task.nodeId);
    bySlot.set(key, [...(bySlot.get(key) ?? []), task]);
  }
  const result: SlotProgress[] = [];
  for (const [slot, slotTasks] of [...bySlot.entries()].sort((a, b) => a[0] - b[0])) {
    const live = slotTasks.filter((t) => isDesiredRunning(t.desiredState));
    if (live.length === 0) continue;
    const current = live.find((t) => stableJson(t.spec) === wanted);
    const running = current && Number(current.status.state) === TASK_STATE.running;
    if (!current) result.push({ slot, phase: "old" });
    else if (!running) result.push({ slot, phase: "updating" });
    else {
      const left = current.status.timestampMs + service.spec.updateConfig.monitorMs - nowMs;
      const updating =
        service.updateStatus?.state === "updating" || service.updateStatus?.state === "rollback_started";
      result.push(
        updating && left > 0 ? { slot, phase: "monitoring", monitorLeftMs: left } : { slot, phase: "new" },
      );
    }
  }
  return result;
}

/** Slots in update order (done first), cut into batches of `parallelism` (0 = one batch). */
export function batchesOf(slots: readonly SlotProgress[], parallelism: number): Batch[] {
  const order: SlotPhase[] = ["new", "monitoring", "updating", "old"];
  const sorted = [...slots].sort(
    (a, b) => order.indexOf(a.phase) - order.indexOf(b.phase) || a.slot - b.slot,
  );
  const size = parallelism > 0 ? parallelism : Math.max(1, sorted.length);
  const batches: Batch[] = [];
  for (let i = 0; i < sorted.length; i += size) {
    const chunk = sorted.slice(i, i + size);
    const state = chunk.every((s) => s.phase === "new")
      ? "done"
      : chunk.every((s) => s.phase === "old")
        ? "waiting"
        : "in progress";
    batches.push({ index: batches.length + 1, slots: chunk, state });
  }
  return batches;
}

function hashNode(nodeId: string): number {
  let h = 0;
  for (const c of nodeId) h = (h * 31 + c.charCodeAt(0)) % 1_000_000;
  return 1_000_000 + h;
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
