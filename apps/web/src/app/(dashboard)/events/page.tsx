"use client";
import { useState } from "react";
import { PageHeader } from "@/components/page-header.tsx";
import { useMe } from "@/lib/queries.ts";
import { hasRole } from "@/lib/roles.ts";
import { AuditLog } from "./_components/audit-log.tsx";
import { EventFeed } from "./_components/event-feed.tsx";

const TAB = "rounded-md px-3 py-1.5 text-sm font-medium";

export default function EventsPage() {
  const canAudit = hasRole(useMe().data?.role, "operator");
  const [tab, setTab] = useState<"events" | "audit">("events");
  return (
    <>
      <PageHeader
        title="Events"
        description="What happens in the cluster, as it happens; and who did what."
      />
      {canAudit ? (
        <div role="tablist" aria-label="Event views" className="mb-4 flex gap-1">
          {(["events", "audit"] as const).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={tab === t}
              className={`${TAB} ${tab === t ? "bg-sky-50 text-sky-800" : "text-slate-600 hover:bg-slate-100"}`}
              onClick={() => setTab(t)}
            >
              {t === "events" ? "Cluster events" : "Audit log"}
            </button>
          ))}
        </div>
      ) : null}
      {tab === "events" ? <EventFeed /> : <AuditLog />}
    </>
  );
}
