"use client";
import Link from "next/link";
import { Cell, Row, Table } from "@/components/table.tsx";
import { useNodes, useTasks } from "@/lib/queries.ts";
import { imageOf, publishedPorts, type Replicas, replicasByService } from "@/lib/service-stats.ts";
import type { ServiceItem } from "@/lib/trpc-client.ts";
import { ReplicaCount } from "../../services/_components/replica-count.tsx";
import { UpdateStateBadge } from "../../services/_components/update-state-badge.tsx";

/** The stack's services with replicas reaching their desired count live (the deploy's progress). */
export function StackServices({ services }: { services: ServiceItem[] }) {
  const tasks = useTasks().data?.items ?? [];
  const nodes = useNodes().data?.items ?? [];
  if (services.length === 0)
    return (
      <p className="text-sm text-slate-500">
        No services run in this stack. Deploy the file below to start it.
      </p>
    );
  const replicas = replicasByService(services, tasks, nodes);
  return (
    <Table columns={["Service", "Image", "Replicas", "Ports", "Update"]}>
      {services.map((s) => (
        <Row key={s.id}>
          <Cell className="font-medium">
            <Link className="text-sky-800 hover:underline" href={`/services/${s.id}`}>
              {s.spec.name}
            </Link>
          </Cell>
          <Cell mono>{imageOf(s)}</Cell>
          <Cell>
            <ReplicaCount replicas={replicas.get(s.id) as Replicas} label={s.spec.name} />
          </Cell>
          <Cell mono>{publishedPorts(s) || "–"}</Cell>
          <Cell>
            <UpdateStateBadge service={s} />
          </Cell>
        </Row>
      ))}
    </Table>
  );
}
