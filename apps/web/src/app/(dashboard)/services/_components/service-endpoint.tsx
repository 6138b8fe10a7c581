"use client";
/** A service's endpoint: its published ports and the networks it is on, each with its virtual IP. */
import Link from "next/link";
import { Cell, Row, Table } from "@/components/table.tsx";
import type { NetworkItem } from "@/lib/network-queries.ts";
import type { ServiceItem } from "@/lib/trpc-client.ts";

export function ServiceEndpoint({
  service,
  networks,
}: {
  service: ServiceItem;
  networks: readonly NetworkItem[];
}) {
  const ports = service.endpoint?.ports.length ? service.endpoint.ports : service.spec.endpointSpec.ports;
  const vipOf = new Map((service.endpoint?.virtualIps ?? []).map((v) => [v.networkId, v.addr]));
  const nameOf = new Map(networks.map((n) => [n.id, n.spec.name]));
  // The networks of the spec, plus any the endpoint has a VIP on (ingress, for published ports).
  const networkIds = [
    ...new Set([...service.spec.taskTemplate.networks.map((n) => n.target), ...vipOf.keys()]),
  ];
  return (
    <div className="space-y-4" data-testid="service-endpoint">
      <p className="text-sm text-slate-600">
        Endpoint mode <span className="font-mono">{service.spec.endpointSpec.mode}</span>
      </p>
      {ports.length === 0 ? (
        <p className="text-sm text-slate-500">No published ports.</p>
      ) : (
        <Table columns={["Published", "Target", "Protocol", "Mode"]}>
          {ports.map((p) => (
            <Row key={`${p.protocol}/${p.targetPort}/${p.publishedPort}`}>
              <Cell mono>{p.publishedPort || "auto"}</Cell>
              <Cell mono>{p.targetPort}</Cell>
              <Cell>{p.protocol}</Cell>
              <Cell>{p.publishMode}</Cell>
            </Row>
          ))}
        </Table>
      )}
      {networkIds.length === 0 ? (
        <p className="text-sm text-slate-500">On no network.</p>
      ) : (
        <Table columns={["Network", "Virtual IP"]}>
          {networkIds.map((id) => (
            <Row key={id}>
              <Cell>
                <Link className="text-sky-800 underline" href={`/networks/${id}`}>
                  {nameOf.get(id) ?? id.slice(0, 12)}
                </Link>
              </Cell>
              <Cell mono>
                <span data-testid={`vip-${nameOf.get(id) ?? id}`}>{vipOf.get(id) ?? "—"}</span>
              </Cell>
            </Row>
          ))}
        </Table>
      )}
    </div>
  );
}
