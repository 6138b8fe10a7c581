"use client";
import Link from "next/link";
import { useParams } from "next/navigation";
import { Card } from "@/components/card.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { Cell, Row, Table } from "@/components/table.tsx";
import { useNetwork } from "@/lib/network-queries.ts";

/** One network: its services with their VIPs, the task containers on it, and its nodes. */
export default function NetworkPage() {
  const { id } = useParams<{ id: string }>();
  const network = useNetwork(id);
  const n = network.data;
  if (network.isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (!n)
    return (
      <EmptyState
        title="This network does not exist (any more)"
        action={
          <Link className="text-sky-800 underline" href="/networks">
            Back to the networks
          </Link>
        }
      >
        It may have been removed, or belong to a stack that was.
      </EmptyState>
    );
  const ipam = n.ipam[0];
  return (
    <div className="space-y-6">
      <PageHeader
        title={n.spec.name}
        description={
          <>
            {n.spec.driver.name} · subnet <span className="font-mono">{ipam?.subnet ?? "allocating…"}</span>
            {ipam ? (
              <>
                {" "}
                · gateway <span className="font-mono">{ipam.gateway}</span>
              </>
            ) : null}
            {n.spec.ingress ? " · ingress (routing mesh)" : ""}
          </>
        }
      />
      <Card title="Services">
        {n.services.length === 0 ? (
          <p className="text-sm text-slate-500">No service uses this network.</p>
        ) : (
          <Table columns={["Service", "Endpoint mode", "Virtual IP", "Tasks"]}>
            {n.services.map((s) => (
              <Row key={s.serviceId}>
                <Cell>
                  <Link className="text-sky-800 underline" href={`/services/${s.serviceId}`}>
                    {s.name}
                  </Link>
                </Cell>
                <Cell>{s.endpointMode}</Cell>
                <Cell mono>{s.vip ?? "—"}</Cell>
                <Cell>{s.tasks}</Cell>
              </Row>
            ))}
          </Table>
        )}
      </Card>
      <Card title="Tasks on this network">
        {n.containers.length === 0 ? (
          <p className="text-sm text-slate-500">No task is attached.</p>
        ) : (
          <Table columns={["Task", "Node", "IPv4 address", "State"]}>
            {n.containers.map((c) => (
              <Row key={c.taskId}>
                <Cell mono>{c.name}</Cell>
                <Cell>{c.nodeName || c.nodeId.slice(0, 12)}</Cell>
                <Cell mono>
                  <span data-testid="network-task-address">{c.ipv4Address}</span>
                </Cell>
                <Cell>{c.state}</Cell>
              </Row>
            ))}
          </Table>
        )}
      </Card>
      <Card title="Nodes">
        {n.peers.length === 0 ? (
          <p className="text-sm text-slate-500">No node runs a task on this network.</p>
        ) : (
          <Table columns={["Node", "Address", "Address on this network", "Tasks"]}>
            {n.peers.map((p) => (
              <Row key={p.nodeId}>
                <Cell>{p.name}</Cell>
                <Cell mono>{p.address}</Cell>
                <Cell mono>{p.networkAddress ?? "—"}</Cell>
                <Cell>{p.tasks}</Cell>
              </Row>
            ))}
          </Table>
        )}
      </Card>
    </div>
  );
}
