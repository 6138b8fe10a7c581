"use client";
/**
 * The service page's live logs: follows `services.logs` (last `LOG_TAIL_LINES` per task, then new
 * lines), filters by task and text, shows times on demand, and keeps the newest line in view
 * unless the reader has scrolled up (then it pauses and says how many lines wait below).
 */
import { useLayoutEffect, useMemo, useRef, useState } from "react";
import { Button } from "@/components/button.tsx";
import { INPUT_CLASS } from "@/components/field.tsx";
import { SearchField } from "@/components/search-field.tsx";
import { type BufferedLogEvent, LOG_LINES_MAX } from "./log-buffer.ts";
import { LOG_TAIL_LINES, type LogStreamStatus, useServiceLogs } from "./use-service-logs.ts";

/** How close to the bottom (px) still counts as "at the newest line". */
const STICK_TO_BOTTOM_PX = 24;

export function ServiceLogsPanel({ serviceId }: { serviceId: string }) {
  const { buffer, status, restart } = useServiceLogs(serviceId);
  const [taskId, setTaskId] = useState("");
  const [search, setSearch] = useState("");
  const [timestamps, setTimestamps] = useState(false);
  const [following, setFollowing] = useState(true);
  const [seenSeq, setSeenSeq] = useState(0);
  const view = useRef<HTMLDivElement>(null);

  const tasks = useMemo(() => taskContexts(buffer.lines), [buffer.lines]);
  const needle = search.trim().toLowerCase();
  const shown = buffer.lines.filter(
    (e) =>
      (taskId === "" || (e.type === "line" && e.taskId === taskId)) &&
      (needle === "" || (e.type === "line" ? e.text : e.message).toLowerCase().includes(needle)),
  );
  const newest = shown.at(-1)?.seq ?? 0;
  const waiting = following ? 0 : shown.filter((e) => e.seq > seenSeq).length;

  useLayoutEffect(() => {
    if (!following || !view.current) return;
    view.current.scrollTop = view.current.scrollHeight;
    setSeenSeq(newest);
  }, [following, newest]);

  const handleScroll = () => {
    const el = view.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_TO_BOTTOM_PX;
    if (atBottom !== following) setFollowing(atBottom);
  };

  return (
    <div className="space-y-3" data-testid="service-logs">
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-sm font-medium text-slate-700">
          Task
          <select className={INPUT_CLASS} value={taskId} onChange={(e) => setTaskId(e.target.value)}>
            <option value="">All tasks</option>
            {tasks.map(([id, context]) => (
              <option key={id} value={id}>
                {context}
              </option>
            ))}
          </select>
        </label>
        <SearchField value={search} onChange={setSearch} placeholder="Text in the lines" />
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
          <input type="checkbox" checked={timestamps} onChange={(e) => setTimestamps(e.target.checked)} />
          Timestamps
        </label>
      </div>
      <StatusLine status={status} onRestart={restart} />
      <div className="relative">
        <div
          ref={view}
          onScroll={handleScroll}
          className="h-96 overflow-auto rounded-md bg-slate-950 p-3 font-mono text-xs leading-5 text-slate-100"
        >
          {shown.length === 0 ? (
            <p className="text-slate-400">
              {buffer.lines.length === 0 ? "No lines yet." : "No line matches the filter."}
            </p>
          ) : (
            shown.map((e) => <LogRow key={e.seq} event={e} timestamps={timestamps} />)
          )}
        </div>
        {following ? null : (
          <Button
            size="sm"
            variant="primary"
            className="absolute right-4 bottom-3"
            onClick={() => setFollowing(true)}
          >
            Paused{waiting > 0 ? ` · ${waiting} new` : ""} · Follow
          </Button>
        )}
      </div>
      <p className="text-xs text-slate-500">
        The last {LOG_TAIL_LINES} lines of each task, then new ones as they come; the panel keeps the newest{" "}
        {LOG_LINES_MAX}
        {buffer.dropped > 0 ? ` (${buffer.dropped} older dropped)` : ""}.
      </p>
    </div>
  );
}

function LogRow({ event, timestamps }: { event: BufferedLogEvent; timestamps: boolean }) {
  if (event.type === "warning") return <div className="text-amber-300">warning: {event.message}</div>;
  return (
    <div className={`whitespace-pre-wrap break-all ${event.stream === "stderr" ? "text-rose-300" : ""}`}>
      {timestamps ? (
        <span className="text-slate-400">{new Date(event.timestampMs).toISOString()} </span>
      ) : null}
      <span className="text-sky-300">{event.context}</span>
      {`    | ${event.line}`}
    </div>
  );
}

function StatusLine({ status, onRestart }: { status: LogStreamStatus; onRestart: () => void }) {
  const text: Record<LogStreamStatus["kind"], string> = {
    connecting: "Connecting to the log stream…",
    live: "Following: new lines appear as they are written.",
    reconnecting:
      "Connection to the log stream lost: reconnecting… (the last lines are shown again when it is back)",
    ended: "The log stream ended: the service's tasks have nothing more to send.",
    failed: `The log stream failed: ${status.kind === "failed" ? status.message : ""}`,
  };
  const tone =
    status.kind === "live"
      ? "text-slate-500"
      : status.kind === "connecting"
        ? "text-slate-500"
        : "text-amber-700";
  return (
    <p role="status" className={`flex items-center gap-3 text-xs ${tone}`}>
      {text[status.kind]}
      {status.kind === "ended" || status.kind === "failed" ? (
        <Button size="sm" onClick={onRestart}>
          Reconnect
        </Button>
      ) : null}
    </p>
  );
}

/** The tasks seen in the buffer, by id, with their `name.slot.id@node` context (by slot). */
function taskContexts(lines: readonly BufferedLogEvent[]): [string, string][] {
  const byId = new Map<string, string>();
  for (const e of lines) if (e.type === "line" && !byId.has(e.taskId)) byId.set(e.taskId, e.context);
  return [...byId].sort((a, b) => a[1].localeCompare(b[1], undefined, { numeric: true }));
}
