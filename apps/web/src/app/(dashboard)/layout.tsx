"use client";
import type { ReactNode } from "react";
import { AppNav } from "@/components/app-nav.tsx";
import { ConnectionBanner } from "@/components/connection-banner.tsx";
import { ErrorNotice } from "@/components/error-notice.tsx";
import { useRedirectUnless } from "@/lib/entry-route.ts";
import { LiveUpdatesProvider } from "@/lib/live-updates.tsx";
import { useMe, useNodeStatus } from "@/lib/queries.ts";

/** Every dashboard page: only for logged-in users of a manager; one live-updates socket for all. */
export default function DashboardLayout({ children }: { children: ReactNode }) {
  const entry = useRedirectUnless("dashboard");
  const me = useMe(entry.route === "dashboard").data;
  const status = useNodeStatus().data;
  if (entry.error) {
    return (
      <main className="p-10">
        <ErrorNotice error={entry.error} title="This node did not answer" />
      </main>
    );
  }
  if (entry.route !== "dashboard" || !me || !status)
    return <main className="p-10 text-sm text-slate-500">Loading…</main>;
  return (
    <LiveUpdatesProvider>
      <AppNav me={me} status={status} />
      <ConnectionBanner />
      <main className="mx-auto max-w-7xl px-6 py-8">{children}</main>
    </LiveUpdatesProvider>
  );
}
