"use client";
import { Card } from "@/components/card.tsx";
import { formatAge, formatDuration } from "@/lib/format.ts";
import type { ServiceItem, TaskItem } from "@/lib/trpc-client.ts";
import { useNow } from "@/lib/use-now.ts";
import { batchesOf, type SlotPhase, slotProgress } from "./update-progress.ts";
import { UpdateStateBadge } from "./update-state-badge.tsx";

const PHASE_CLASS: Record<SlotPhase, string> = {
  old: "border-slate-300 bg-slate-100 text-slate-600",
  updating: "border-sky-300 bg-sky-50 text-sky-800 animate-pulse",
  monitoring: "border-amber-300 bg-amber-50 text-amber-800",
  new: "border-emerald-300 bg-emerald-50 text-emerald-800",
};

/** The rolling update: batches of slots (old → updating → monitored → new), its policy and state. */
export function UpdateTimeline({ service, tasks }: { service: ServiceItem; tasks: TaskItem[] }) {
  const now = useNow(1_000);
  const status = service.updateStatus;
  const slots = slotProgress(service, tasks, now);
  const stale = slots.some((s) => s.phase !== "new");
  if (!status && !stale) return null;
  const rollingBack = status?.state.startsWith("rollback") ?? false;
  const config = rollingBack ? service.spec.rollbackConfig : service.spec.updateConfig;
  const batches = batchesOf(slots, config.parallelism);
  const stopped = status?.state === "paused" || status?.state === "rollback_paused";
  return (
    <Card
      title={rollingBack ? "Rollback" : "Rolling update"}
      actions={<UpdateStateBadge service={service} />}
    >
      {status ? (
        <p
          className={`mb-3 text-sm ${stopped ? "font-medium text-rose-700" : "text-slate-600"}`}
          role={stopped ? "alert" : undefined}
        >
          {status.message || status.state} · started {formatAge(status.startedAtMs, now)} ago
          {status.completedAtMs ? `, finished ${formatAge(status.completedAtMs, now)} ago` : ""}
        </p>
      ) : null}
      <p className="mb-3 text-xs text-slate-500">
        {config.parallelism || "all"} task{config.parallelism === 1 ? "" : "s"} per batch ·{" "}
        {formatDuration(config.delayMs)} between batches · monitor {formatDuration(config.monitorMs)} · on
        failure: {config.failureAction} · {config.order}
      </p>
      <ol className="flex flex-wrap gap-3">
        {batches.map((batch) => (
          <li key={batch.index} className="rounded-md border border-slate-200 p-2">
            <div className="mb-1 text-xs font-medium text-slate-500">
              Batch {batch.index} · {batch.state}
            </div>
            <div className="flex gap-1.5">
              {batch.slots.map((s) => (
                <span
                  key={s.slot}
                  title={`Slot ${s.slot}: ${s.phase}`}
                  className={`rounded border px-2 py-1 text-xs font-medium ${PHASE_CLASS[s.phase]}`}
                >
                  {s.slot < 1_000_000 ? `#${s.slot}` : "node"} {s.phase}
                  {s.monitorLeftMs ? ` ${Math.ceil(s.monitorLeftMs / 1000)}s` : ""}
                </span>
              ))}
            </div>
          </li>
        ))}
      </ol>
    </Card>
  );
}
