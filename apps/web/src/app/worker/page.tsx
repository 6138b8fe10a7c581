"use client";
import { CenteredPanel } from "@/components/centered-panel.tsx";
import { useRedirectUnless } from "@/lib/entry-route.ts";
import { useNodeStatus } from "@/lib/queries.ts";

/** A worker serves no API: point the visitor at the managers. */
export default function WorkerPage() {
  useRedirectUnless("/worker");
  const status = useNodeStatus().data;
  return (
    <CenteredPanel
      title="This node is a worker"
      subtitle="Workers run tasks; the dashboard and the API are served by managers."
    >
      <div className="rounded-lg border border-slate-200 bg-white p-5 text-sm text-slate-600">
        <p>
          <span className="font-medium text-slate-800">{status?.hostname}</span> is in the swarm as a worker.
          Open the dashboard on a manager, or promote this node there.
        </p>
        {status?.managerAddrs.length ? (
          <ul className="mt-3 list-inside list-disc font-mono text-xs">
            {status.managerAddrs.map((a) => (
              <li key={a}>{a} (swarm address; the dashboard is on that host&apos;s API port)</li>
            ))}
          </ul>
        ) : null}
      </div>
    </CenteredPanel>
  );
}
