"use client";
import { EmptyState } from "@/components/empty-state.tsx";
import { ErrorNotice } from "@/components/error-notice.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { useMe, useNodes, useTasks } from "@/lib/queries.ts";
import { hasRole } from "@/lib/roles.ts";
import { NodesTable } from "./_components/nodes-table.tsx";

export default function NodesPage() {
  const me = useMe().data;
  const nodes = useNodes();
  const tasks = useTasks();
  return (
    <>
      <PageHeader title="Nodes" description="Every machine in the swarm, updated live." />
      {nodes.error ? <ErrorNotice error={nodes.error} title="Could not list the nodes" /> : null}
      {nodes.isPending ? <p className="text-sm text-slate-500">Loading…</p> : null}
      {nodes.data && nodes.data.items.length === 0 ? <EmptyState title="No nodes yet" /> : null}
      {nodes.data && nodes.data.items.length > 0 ? (
        <NodesTable
          nodes={nodes.data.items}
          tasks={tasks.data?.items ?? []}
          canOperate={hasRole(me?.role, "operator")}
          canAdmin={hasRole(me?.role, "admin")}
        />
      ) : null}
    </>
  );
}
