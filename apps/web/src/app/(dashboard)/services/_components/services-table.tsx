import Link from "next/link";
import { Cell, Row, Table } from "@/components/table.tsx";
import { imageOf, modeLabel, publishedPorts, replicasOf, stackOf } from "@/lib/service-stats.ts";
import type { NodeItem, ServiceItem, TaskItem } from "@/lib/trpc-client.ts";
import { ReplicaCount } from "./replica-count.tsx";
import { UpdateStateBadge } from "./update-state-badge.tsx";

export function ServicesTable({
  services,
  tasks,
  nodes,
}: {
  services: ServiceItem[];
  tasks: TaskItem[];
  nodes: NodeItem[];
}) {
  return (
    <Table columns={["Name", "Image", "Mode", "Replicas", "Ports", "Stack", "Update"]}>
      {[...services]
        .sort((a, b) => a.spec.name.localeCompare(b.spec.name))
        .map((service) => (
          <Row key={service.id}>
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
              <ReplicaCount replicas={replicasOf(service, tasks, nodes)} label={service.spec.name} />
            </Cell>
            <Cell mono>{publishedPorts(service) || "–"}</Cell>
            <Cell>{stackOf(service) ?? "–"}</Cell>
            <Cell>
              <UpdateStateBadge service={service} />
            </Cell>
          </Row>
        ))}
    </Table>
  );
}
