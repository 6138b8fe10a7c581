"use client";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state.tsx";
import { ErrorNotice } from "@/components/error-notice.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { Cell, Row, Table } from "@/components/table.tsx";
import { useNetworks } from "@/lib/network-queries.ts";

/** The swarm's networks; each links to who is on it. */
export default function NetworksPage() {
  const networks = useNetworks();
  const items = networks.data?.items ?? [];
  return (
    <>
      <PageHeader
        title="Networks"
        description="Overlay networks across the swarm: open one to see its tasks and nodes."
      />
      {networks.error ? <ErrorNotice error={networks.error} title="Could not list the networks" /> : null}
      {networks.isPending ? <p className="text-sm text-slate-500">Loading…</p> : null}
      {networks.data && items.length === 0 ? (
        <EmptyState title="No networks yet">
          Create one with <span className="font-mono">shoal network create</span>, or deploy a stack.
        </EmptyState>
      ) : null}
      {items.length > 0 ? (
        <Table columns={["Name", "Driver", "Subnet", "Gateway", ""]}>
          {items.map((n) => (
            <Row key={n.id}>
              <Cell>
                <Link className="text-sky-800 underline" href={`/networks/${n.id}`}>
                  {n.spec.name}
                </Link>
              </Cell>
              <Cell>{n.spec.driver.name}</Cell>
              <Cell mono>{n.ipam[0]?.subnet ?? "allocating…"}</Cell>
              <Cell mono>{n.ipam[0]?.gateway ?? ""}</Cell>
              <Cell className="text-slate-500">{n.spec.ingress ? "ingress (routing mesh)" : ""}</Cell>
            </Row>
          ))}
        </Table>
      ) : null}
    </>
  );
}
