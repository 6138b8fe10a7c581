"use client";
import { ErrorNotice } from "@/components/error-notice.tsx";
import { useRedirectUnless } from "@/lib/entry-route.ts";

/** The front door: sends the visitor to set-up, login or the dashboard. */
export default function Home() {
  const { error } = useRedirectUnless("/" as never);
  return (
    <main className="p-10">
      {error ? (
        <ErrorNotice error={error} title="This node did not answer" />
      ) : (
        <p className="text-sm text-slate-500">Loading…</p>
      )}
    </main>
  );
}
