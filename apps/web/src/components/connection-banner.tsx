"use client";
import { useLiveConnection } from "@/lib/live-updates.tsx";

/** Says plainly when live updates stopped: what is shown may be out of date until it reconnects. */
export function ConnectionBanner() {
  const connection = useLiveConnection();
  if (connection !== "lost") return null;
  return (
    <div
      role="status"
      className="border-b border-amber-200 bg-amber-50 px-6 py-2 text-center text-sm text-amber-900"
    >
      Connection to the manager lost: what you see may be out of date. Reconnecting…
    </div>
  );
}
