"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useState } from "react";
import { Card } from "@/components/card.tsx";
import { ErrorNotice } from "@/components/error-notice.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { useMe, useServices } from "@/lib/queries.ts";
import { queryKeys } from "@/lib/query-keys.ts";
import { hasRole } from "@/lib/roles.ts";
import { stackOf } from "@/lib/service-stats.ts";
import { api } from "@/lib/trpc-client.ts";
import { RemoveStack } from "../_components/remove-stack.tsx";
import { RevisionHistory } from "../_components/revision-history.tsx";
import { StackServices } from "../_components/stack-services.tsx";
import { StackWorkbench } from "../_components/stack-workbench.tsx";

/** One stack: its services live, the editor with its current file, revisions, remove. */
export default function StackPage() {
  const { name } = useParams<{ name: string }>();
  const canOperate = hasRole(useMe().data?.role, "operator");
  const services = (useServices().data?.items ?? []).filter((s) => stackOf(s) === name);
  const revisions = useQuery({
    queryKey: queryKeys.stackRevisions(name),
    queryFn: () => api.stacks.revisions.query({ name }),
  });
  const [editorKey, setEditorKey] = useState(0);
  const latest = revisions.data?.[0];
  return (
    <div className="space-y-6">
      <PageHeader
        title={`Stack ${name}`}
        description={
          <Link className="text-sky-800 underline" href="/stacks">
            All stacks
          </Link>
        }
        actions={canOperate && services.length > 0 ? <RemoveStack name={name} /> : undefined}
      />
      <Card title="Services">
        <StackServices services={services} />
      </Card>
      {revisions.error ? <ErrorNotice error={revisions.error} title="Could not read the revisions" /> : null}
      {revisions.data ? (
        <section aria-label="Stack file">
          <h2 className="mb-2 text-sm font-semibold text-slate-800">
            Stack file{latest ? ` (revision ${latest.revision})` : ""}
          </h2>
          <StackWorkbench
            key={`${editorKey}-${latest?.revision ?? 0}`}
            name={name}
            initial={latest?.yaml ?? ""}
            canDeploy={canOperate}
            onDeployed={() => {
              void revisions.refetch();
              setEditorKey((k) => k + 1);
            }}
          />
        </section>
      ) : null}
      <Card title="Revisions">
        <RevisionHistory
          name={name}
          revisions={revisions.data ?? []}
          canRevert={canOperate}
          onReverted={() => void revisions.refetch()}
        />
      </Card>
    </div>
  );
}
