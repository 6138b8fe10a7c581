"use client";
import { CenteredPanel } from "@/components/centered-panel.tsx";
import { useRedirectUnless } from "@/lib/entry-route.ts";
import { useNodeStatus } from "@/lib/queries.ts";
import { CreateSwarmForm } from "./_components/create-swarm-form.tsx";
import { JoinSwarmForm } from "./_components/join-swarm-form.tsx";

/** No swarm yet: create one (with the first admin) or join one. */
export default function SetupPage() {
  useRedirectUnless("/setup");
  const status = useNodeStatus().data;
  return (
    <CenteredPanel
      wide
      title="Set up this node"
      subtitle={
        status
          ? `${status.hostname} is not part of a swarm yet. Create a new swarm, or join one that already runs.`
          : undefined
      }
    >
      {status ? (
        <div className="grid gap-4 md:grid-cols-2">
          <CreateSwarmForm advertiseAddr={status.advertiseAddr} />
          <JoinSwarmForm />
        </div>
      ) : (
        <p className="text-sm text-slate-500">Asking the node…</p>
      )}
    </CenteredPanel>
  );
}
