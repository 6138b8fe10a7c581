"use client";
import { PageHeader } from "@/components/page-header.tsx";
import { useMe, useNodes } from "@/lib/queries.ts";
import { hasRole } from "@/lib/roles.ts";
import { JoinCommands } from "./_components/join-commands.tsx";
import { ManagersPanel } from "./_components/managers-panel.tsx";

export default function SwarmPage() {
  const me = useMe().data;
  const nodes = useNodes();
  const managers = (nodes.data?.items ?? []).filter(
    (n) => n.role === "manager" || n.managerStatus !== undefined,
  );
  const leader = managers.find((m) => m.managerStatus?.leader);
  return (
    <>
      <PageHeader
        title="Swarm"
        description="Add nodes with a join command; keep an odd number of managers."
      />
      <div className="space-y-6">
        <ManagersPanel managers={managers} loading={nodes.isPending} error={nodes.error} />
        <JoinCommands
          joinAddr={leader?.managerStatus?.addr ?? managers[0]?.managerStatus?.addr ?? ""}
          canManage={hasRole(me?.role, "admin")}
        />
      </div>
    </>
  );
}
