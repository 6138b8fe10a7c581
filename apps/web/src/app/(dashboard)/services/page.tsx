"use client";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state.tsx";
import { ErrorNotice } from "@/components/error-notice.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { useMe, useNodes, useServices, useTasks } from "@/lib/queries.ts";
import { hasRole } from "@/lib/roles.ts";
import { ServicesTable } from "./_components/services-table.tsx";

const NEW_SERVICE_LINK =
  "inline-flex items-center rounded-md bg-sky-700 px-3.5 py-2 text-sm font-medium text-white hover:bg-sky-800";

export default function ServicesPage() {
  const canOperate = hasRole(useMe().data?.role, "operator");
  const services = useServices();
  const tasks = useTasks();
  const nodes = useNodes();
  const newService = canOperate ? (
    <Link href="/services/new" className={NEW_SERVICE_LINK}>
      Create service
    </Link>
  ) : null;
  return (
    <>
      <PageHeader
        title="Services"
        description="Running and desired replicas update live."
        actions={newService}
      />
      {services.error ? <ErrorNotice error={services.error} title="Could not list the services" /> : null}
      {services.isPending ? <p className="text-sm text-slate-500">Loading…</p> : null}
      {services.data && services.data.items.length === 0 ? (
        <EmptyState title="No services yet" action={newService}>
          A service runs one image as tasks across the swarm. Create one here, or deploy a stack file from the
          Stacks page.
        </EmptyState>
      ) : null}
      {services.data && services.data.items.length > 0 ? (
        <ServicesTable
          services={services.data.items}
          tasks={tasks.data?.items ?? []}
          nodes={nodes.data?.items ?? []}
        />
      ) : null}
    </>
  );
}
