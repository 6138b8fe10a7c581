/**
 * `service ps` / `node ps` / `stack ps` rows: ID NAME IMAGE NODE DESIRED STATE CURRENT STATE ERROR
 * PORTS. Tasks are grouped by slot (or node for global services), the current task first and
 * earlier ones under it as `\_ web.1`, as docker prints them.
 */
import { TASK_STATE_NAMES } from "@shoal/store";
import type { ServiceView, TaskView } from "../api-types.ts";
import { formatPort } from "../flags/publish.ts";
import { stateSince } from "./human-duration.ts";
import { ellipsis, shortId } from "./table.ts";

export const TASK_HEADER = [
  "ID",
  "NAME",
  "IMAGE",
  "NODE",
  "DESIRED STATE",
  "CURRENT STATE",
  "ERROR",
  "PORTS",
];

export interface TaskRowContext {
  readonly services: ReadonlyMap<string, ServiceView>;
  readonly hostnames: ReadonlyMap<string, string>;
  readonly nowMs: number;
  readonly noTrunc?: boolean;
}

export function taskName(task: TaskView, services: ReadonlyMap<string, ServiceView>): string {
  const name = services.get(task.serviceId)?.spec.name ?? task.serviceId.slice(0, 12);
  return task.slot > 0 ? `${name}.${task.slot}` : `${name}.${task.nodeId}`;
}

/** Current task of each slot first, then its history, newest first. */
export function orderTasks(
  tasks: readonly TaskView[],
  services: ReadonlyMap<string, ServiceView>,
): TaskView[][] {
  const groups = new Map<string, TaskView[]>();
  for (const t of tasks) {
    const key = `${services.get(t.serviceId)?.spec.name ?? t.serviceId}\u0000${t.slot > 0 ? String(t.slot).padStart(6, "0") : t.nodeId}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return [...groups.keys()]
    .sort()
    .map((k) => (groups.get(k) ?? []).sort((a, b) => b.createdAtMs - a.createdAtMs));
}

export function taskRows(tasks: readonly TaskView[], ctx: TaskRowContext): string[][] {
  return orderTasks(tasks, ctx.services).flatMap((group) => group.map((t, i) => taskRow(t, ctx, i > 0)));
}

export function taskRow(task: TaskView, ctx: TaskRowContext, history: boolean): string[] {
  const err = task.status.err ? `"${ellipsis(task.status.err, 29, ctx.noTrunc)}"` : "";
  const hostPorts = task.status.hostPorts ?? [];
  const ports = (task.endpoint?.ports ?? [])
    .filter((p) => p.publishMode === "host")
    .map((p, i) => formatPort({ ...p, publishedPort: p.publishedPort || (hostPorts[i] ?? 0) }))
    .join(", ");
  return [
    shortId(task.id, ctx.noTrunc),
    `${history ? " \\_ " : ""}${taskName(task, ctx.services)}`,
    task.spec.containerSpec.image,
    task.nodeId ? (ctx.hostnames.get(task.nodeId) ?? task.nodeId.slice(0, 12)) : "",
    capitalize(TASK_STATE_NAMES[task.desiredState] ?? ""),
    stateSince(TASK_STATE_NAMES[task.status.state] ?? "", task.status.timestampMs, ctx.nowMs),
    err,
    ports,
  ];
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
