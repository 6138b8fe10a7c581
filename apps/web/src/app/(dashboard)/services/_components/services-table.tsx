import Link from "next/link";
import { memo, useMemo } from "react";
import { Cell, Row, Table } from "@/components/table.tsx";
import {
  imageOf,
  modeLabel,
  publishedPorts,
  type Replicas,
  replicasByService,
  stackOf,
} from "@/lib/service-stats.ts";
import type { NodeItem, ServiceItem, TaskItem } from "@/lib/trpc-client.ts";
import { ReplicaCount } from "./replica-count.tsx";
import { UpdateStateBadge } from "./update-state-badge.tsx";

/** Every service, by name; replica counts come from one pass over the tasks per change. */
export function ServicesTable({
  services,
  tasks,
  nodes,
}: {
  services: ServiceItem[];
  tasks: TaskItem[];
  nodes: NodeItem[];
}) {
  const sorted = useMemo(
    () => [...services].sort((a, b) => a.spec.name.localeCompare(b.spec.name)),
    [services],
  );
  const replicas = useMemo(() => replicasByService(services, tasks, nodes), [services, tasks, nodes]);
  return (
    <Table columns={["Name", "Image", "Mode", "Replicas", "Ports", "Stack", "Update"]}>
      {sorted.map((service) => {
        const r = replicas.get(service.id) ?? { running: 0, desired: 0 };
        return <ServiceRow key={service.id} service={service} running={r.running} desired={r.desired} />;
      })}
    </Table>
  );
}

/** One row; drawn again only when its service or its counts change. */
const ServiceRow = memo(function ServiceRow({
  service,
  running,
  desired,
}: {
  service: ServiceItem;
} & Replicas) {
  return (
    <Row>
      <Cell className="font-medium">
        <Link
          href={`/services/${service.id}`}
          className="text-sky-800 hover:underline focus-visible:underline"
        >
          {service.spec.name}
        </Link>
      </Cell>
      <Cell mono>{imageOf(service)}</Cell>
      <Cell>{modeLabel(service)}</Cell>
      <Cell>
        <ReplicaCount replicas={{ running, desired }} label={service.spec.name} />
      </Cell>
      <Cell mono>{publishedPorts(service) || "–"}</Cell>
      <Cell>{stackOf(service) ?? "–"}</Cell>
      <Cell>
        <UpdateStateBadge service={service} />
      </Cell>
    </Row>
  );
});
