"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { ErrorNotice } from "@/components/error-notice.tsx";
import { INPUT_CLASS } from "@/components/field.tsx";
import { SearchField } from "@/components/search-field.tsx";
import { Cell, Row, Table } from "@/components/table.tsx";
import { formatTime } from "@/lib/format.ts";
import { useLiveEvents } from "@/lib/live-updates.tsx";
import { queryKeys } from "@/lib/query-keys.ts";
import { api } from "@/lib/trpc-client.ts";

const REFRESH_GAP_MS = 500;

/** Who did what (operators and admins): read again after live events, at most once per gap. */
export function AuditLog() {
  const queryClient = useQueryClient();
  const [actor, setActor] = useState("");
  const [search, setSearch] = useState("");
  const audit = useQuery({
    queryKey: queryKeys.audit(actor),
    queryFn: () => api.history.audit.query({ limit: 200, ...(actor ? { actor } : {}) }),
  });
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useLiveEvents((event) => {
    if (!event.actor || pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = undefined;
      void queryClient.invalidateQueries({ queryKey: ["history", "audit"] });
    }, REFRESH_GAP_MS);
  });
  const needle = search.trim().toLowerCase();
  const rows = (audit.data ?? []).filter(
    (r) => !needle || `${r.actor} ${r.action} ${r.target} ${r.result}`.toLowerCase().includes(needle),
  );
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-3">
        <label className="text-sm font-medium text-slate-700">
          Actor
          <input
            className={`${INPUT_CLASS} w-56`}
            placeholder="user:admin"
            value={actor}
            onChange={(e) => setActor(e.target.value.trim())}
          />
        </label>
        <SearchField value={search} onChange={setSearch} />
      </div>
      {audit.error ? <ErrorNotice error={audit.error} title="Could not read the audit log" /> : null}
      {audit.data && rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-500">
          No entries{actor || needle ? " match this filter" : " yet"}.
        </p>
      ) : null}
      {rows.length > 0 ? (
        <Table columns={["Time", "Who", "Did", "Target", "Result"]}>
          {rows.map((r) => (
            <Row key={r.raftIndex}>
              <Cell className="text-xs text-slate-500">{formatTime(r.timeMs)}</Cell>
              <Cell mono>{r.actor}</Cell>
              <Cell>{r.action}</Cell>
              <Cell className="whitespace-normal">{r.target}</Cell>
              <Cell>{r.result}</Cell>
            </Row>
          ))}
        </Table>
      ) : null}
    </div>
  );
}
