"use client";
import { type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorNotice } from "@/components/error-notice.tsx";
import { INPUT_CLASS } from "@/components/field.tsx";
import { SearchField } from "@/components/search-field.tsx";
import { formatTime } from "@/lib/format.ts";
import { type LiveEvent, useLiveEvents } from "@/lib/live-updates.tsx";
import { useServices } from "@/lib/queries.ts";
import { queryKeys } from "@/lib/query-keys.ts";
import { api } from "@/lib/trpc-client.ts";
import { describeEvent, type FeedEvent, type Severity } from "./describe-event.ts";

const KINDS = [
  "all",
  "node",
  "service",
  "task",
  "stackRevision",
  "network",
  "secret",
  "config",
  "user",
  "apiToken",
];
const LIVE_EVENTS_MAX = 500;
const DOT: Record<Severity, string> = {
  bad: "bg-rose-500",
  warn: "bg-amber-500",
  info: "bg-sky-500",
  neutral: "bg-slate-300",
};

/** The cluster's events: the history from this manager's database, then live deltas on top. */
export function EventFeed() {
  const queryClient = useQueryClient();
  const [kind, setKind] = useState("all");
  const [search, setSearch] = useState("");
  const [live, setLive] = useState<FeedEvent[]>([]);
  const history = useQuery({
    queryKey: queryKeys.events(kind),
    queryFn: () => api.history.events.query({ limit: 200, ...(kind === "all" ? {} : { kind }) }),
    staleTime: Number.POSITIVE_INFINITY,
  });
  useLiveEvents((event) => {
    if (kind !== "all" && event.kind !== kind) return;
    setLive((rows) => [fromLive(event, queryClient), ...rows].slice(0, LIVE_EVENTS_MAX));
  });
  const rows: FeedEvent[] = [
    ...live,
    ...(history.data ?? []).map((e) => ({ ...e, key: `h${e.raftIndex}.${e.seq}` })),
  ];
  const serviceNames = new Map((useServices().data?.items ?? []).map((s) => [s.id, s.spec.name]));
  const needle = search.trim().toLowerCase();
  const shown = rows
    .map((row) => ({ row, ...describeEvent(withServiceName(row, serviceNames)) }))
    .filter(({ row, text }) => !needle || `${text} ${row.actor ?? ""}`.toLowerCase().includes(needle));
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-3">
        <label className="text-sm font-medium text-slate-700">
          Kind
          <select
            className={`${INPUT_CLASS} w-44`}
            value={kind}
            onChange={(e) => {
              setKind(e.target.value);
              setLive([]);
            }}
          >
            {KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <SearchField value={search} onChange={setSearch} placeholder="name, state, message, user" />
      </div>
      {history.error ? <ErrorNotice error={history.error} title="Could not read the events" /> : null}
      {history.data && shown.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-500">
          {rows.length === 0
            ? "Nothing has happened yet. Events appear here as nodes join and services run."
            : "No event matches this filter."}
        </p>
      ) : null}
      <ol
        className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white"
        data-testid="event-feed"
      >
        {shown.map(({ row, text, severity }) => (
          <li key={row.key} className="flex items-start gap-3 px-3 py-2 text-sm">
            <span className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${DOT[severity]}`} aria-hidden />
            <span className="min-w-0 flex-1 break-words text-slate-800">{text}</span>
            <span className="shrink-0 text-xs text-slate-500">
              {row.actor ? `${row.actor} · ` : ""}
              {formatTime(row.timeMs)}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** A live delta carries no detail: read it from the live lists (patched before this runs). */
function fromLive(event: LiveEvent, queryClient: QueryClient): FeedEvent {
  const list = (kind: "nodes" | "services" | "tasks") =>
    queryClient.getQueryData<{ items: Record<string, unknown>[] }>(queryKeys.list(kind))?.items ?? [];
  let detail: Record<string, unknown> = {};
  if (event.kind === "task") {
    const task = list("tasks").find((t) => t.id === event.id) as
      | { status: { state: number; message: string; err?: string }; desiredState: number }
      | undefined;
    if (task) detail = { state: task.status.state, message: task.status.err ?? task.status.message };
  } else if (event.kind === "node") {
    const node = list("nodes").find((n) => n.id === event.id) as
      | { status: { state: string }; spec: { availability: string; role: string } }
      | undefined;
    if (node)
      detail = { state: node.status.state, availability: node.spec.availability, role: node.spec.role };
  } else if (event.kind === "service") {
    const service = list("services").find((s) => s.id === event.id) as
      | { updateStatus?: { state: string } }
      | undefined;
    if (service) detail = { updateState: service.updateStatus?.state };
  }
  return { key: `l${event.version}.${event.kind}.${event.id}`, ...event, actor: event.actor ?? null, detail };
}

/** Tasks are named SERVICE_ID.SLOT in the history: show the service's name instead. */
function withServiceName(row: FeedEvent, names: ReadonlyMap<string, string>): FeedEvent {
  if (row.kind !== "task") return row;
  const [serviceId, ...rest] = row.name.split(".");
  const name = serviceId === undefined ? undefined : names.get(serviceId);
  return name ? { ...row, name: [name, ...rest].join(".") } : row;
}
