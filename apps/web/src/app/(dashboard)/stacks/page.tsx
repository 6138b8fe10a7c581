"use client";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state.tsx";
import { ErrorNotice } from "@/components/error-notice.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { Cell, Row, Table } from "@/components/table.tsx";
import { useMe, useNodes, useServices, useTasks } from "@/lib/queries.ts";
import { hasRole } from "@/lib/roles.ts";
import { type Replicas, replicasByService, stackOf } from "@/lib/service-stats.ts";
import { ReplicaCount } from "../services/_components/replica-count.tsx";

const NEW_STACK_LINK =
  "inline-flex items-center rounded-md bg-sky-700 px-3.5 py-2 text-sm font-medium text-white hover:bg-sky-800";

/** Stacks, derived from the live service list (a stack is the services that carry its label). */
export default function StacksPage() {
  const canOperate = hasRole(useMe().data?.role, "operator");
  const services = useServices();
  const tasks = useTasks().data?.items ?? [];
  const nodes = useNodes().data?.items ?? [];
  const stacks = new Map<string, { services: number; running: number; desired: number }>();
  const all = services.data?.items ?? [];
  const replicas = replicasByService(all, tasks, nodes);
  for (const service of all) {
    const name = stackOf(service);
    if (!name) continue;
    const r = replicas.get(service.id) as Replicas;
    const s = stacks.get(name) ?? { services: 0, running: 0, desired: 0 };
    stacks.set(name, {
      services: s.services + 1,
      running: s.running + r.running,
      desired: s.desired + r.desired,
    });
  }
  const newStack = canOperate ? (
    <Link href="/stacks/new" className={NEW_STACK_LINK}>
      New stack
    </Link>
  ) : null;
  return (
    <>
      <PageHeader
        title="Stacks"
        description="Services deployed together from one stack file."
        actions={newStack}
      />
      {services.error ? <ErrorNotice error={services.error} title="Could not list the stacks" /> : null}
      {services.isPending ? <p className="text-sm text-slate-500">Loading…</p> : null}
      {services.data && stacks.size === 0 ? (
        <EmptyState title="No stacks yet" action={newStack}>
          Write a Compose file in the editor: it is checked as you type, and you see what will change before
          you deploy.
        </EmptyState>
      ) : null}
      {stacks.size > 0 ? (
        <Table columns={["Name", "Services", "Replicas"]}>
          {[...stacks.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([name, s]) => (
              <Row key={name}>
                <Cell className="font-medium">
                  <Link className="text-sky-800 hover:underline" href={`/stacks/${name}`}>
                    {name}
                  </Link>
                </Cell>
                <Cell>{s.services}</Cell>
                <Cell>
                  <ReplicaCount
                    replicas={{ running: s.running, desired: s.desired }}
                    label={`stack-${name}`}
                  />
                </Cell>
              </Row>
            ))}
        </Table>
      ) : null}
    </>
  );
}
