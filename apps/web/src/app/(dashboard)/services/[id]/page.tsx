"use client";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useMemo, useState } from "react";
import { Button } from "@/components/button.tsx";
import { Card } from "@/components/card.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { useNetworks } from "@/lib/network-queries.ts";
import { useMe, useNodes, useServices, useServiceTasks } from "@/lib/queries.ts";
import { hasRole } from "@/lib/roles.ts";
import { imageOf, modeLabel, publishedPorts, replicasOf, stackOf } from "@/lib/service-stats.ts";
import { ReplicaCount } from "../_components/replica-count.tsx";
import { ServiceActions } from "../_components/service-actions.tsx";
import { ServiceEndpoint } from "../_components/service-endpoint.tsx";
import { ServiceLogsPanel } from "../_components/service-logs-panel.tsx";
import { ServiceTasksTable } from "../_components/service-tasks-table.tsx";
import { UpdateServicePanel } from "../_components/update-service-panel.tsx";
import { UpdateTimeline } from "../_components/update-timeline.tsx";

/** One service: its tasks, scale, update, rollback and the rolling update as it happens. */
export default function ServicePage() {
  const { id } = useParams<{ id: string }>();
  const canOperate = hasRole(useMe().data?.role, "operator");
  const services = useServices();
  const nodes = useNodes().data?.items ?? [];
  const networks = useNetworks().data?.items ?? [];
  const [editing, setEditing] = useState(false);
  const service = services.data?.items.find((s) => s.id === id || s.spec.name === id);
  const tasksQuery = useServiceTasks(service?.id);
  const serviceTasks = tasksQuery.data?.items;
  const own = useMemo(() => serviceTasks ?? [], [serviceTasks]);
  if (services.isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (!service)
    return (
      <EmptyState
        title="This service does not exist (any more)"
        action={
          <Link className="text-sky-800 underline" href="/services">
            Back to the services
          </Link>
        }
      >
        It may have been removed, or belong to a stack that was.
      </EmptyState>
    );
  const stack = stackOf(service);
  return (
    <div className="space-y-6">
      <PageHeader
        title={service.spec.name}
        description={
          <>
            <span className="font-mono">{imageOf(service)}</span> · {modeLabel(service)} ·{" "}
            <ReplicaCount replicas={replicasOf(service, own, nodes)} label={service.spec.name} /> running
            {publishedPorts(service) ? <> · ports {publishedPorts(service)}</> : null}
            {stack ? (
              <>
                {" "}
                · stack{" "}
                <Link className="text-sky-800 underline" href={`/stacks/${stack}`}>
                  {stack}
                </Link>
              </>
            ) : null}
          </>
        }
        actions={
          canOperate && !editing ? <Button onClick={() => setEditing(true)}>Update…</Button> : undefined
        }
      />
      {canOperate ? <ServiceActions service={service} /> : null}
      {editing ? <UpdateServicePanel service={service} onDone={() => setEditing(false)} /> : null}
      <UpdateTimeline service={service} tasks={own} />
      <Card title="Ports and networks">
        <ServiceEndpoint service={service} networks={networks} />
      </Card>
      <Card title="Tasks">
        {tasksQuery.isPending ? (
          <p className="text-sm text-slate-500">Loading…</p>
        ) : (
          <ServiceTasksTable tasks={own} nodes={nodes} />
        )}
      </Card>
      <Card title="Logs">
        <ServiceLogsPanel serviceId={service.id} />
      </Card>
    </div>
  );
}
