"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/badge.tsx";
import { Button } from "@/components/button.tsx";
import { Dialog } from "@/components/dialog.tsx";
import { ErrorNotice } from "@/components/error-notice.tsx";
import { useToast } from "@/components/toast.tsx";
import { errorMessage } from "@/lib/api-errors.ts";
import { formatTime } from "@/lib/format.ts";
import { api, type RouterOutputs } from "@/lib/trpc-client.ts";
import { StackPlanView } from "./stack-plan-view.tsx";

type Revision = RouterOutputs["stacks"]["revisions"][number];

/** Every deploy of the stack, newest first: view its file, diff against what runs, revert to it. */
export function RevisionHistory({
  name,
  revisions,
  canRevert,
  onReverted,
}: {
  name: string;
  revisions: Revision[];
  canRevert: boolean;
  onReverted: () => void;
}) {
  const [open, setOpen] = useState<{ revision: number; show: "file" | "diff" } | undefined>();
  const [revertTo, setRevertTo] = useState<number | undefined>();
  const notify = useToast();
  const revert = useMutation({
    mutationFn: (revision: number) => api.stacks.revert.mutate({ name, revision }),
    onSuccess: (r, revision) => {
      setRevertTo(undefined);
      setOpen(undefined);
      notify("success", `Stack ${name} reverted to revision ${revision} (now revision ${r.revision}).`);
      onReverted();
    },
    onError: (error) => {
      setRevertTo(undefined);
      notify("error", errorMessage(error));
    },
  });
  if (revisions.length === 0)
    return <p className="text-sm text-slate-500">No revisions yet: each deploy adds one.</p>;
  const latest = revisions[0]?.revision;
  return (
    <ol className="divide-y divide-slate-100" data-testid="revisions">
      {revisions.map((r) => (
        <li key={r.revision} className="py-2">
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <span className="font-medium text-slate-800">Revision {r.revision}</span>
            {r.revision === latest ? <Badge tone="info">current</Badge> : null}
            <span className="text-slate-500">
              {formatTime(r.timeMs)} · {r.actor ?? "unknown"}
            </span>
            <div className="ml-auto flex gap-1">
              <Button size="sm" variant="ghost" onClick={() => setOpen(toggle(open, r.revision, "file"))}>
                View
              </Button>
              {r.revision !== latest ? (
                <>
                  <Button size="sm" variant="ghost" onClick={() => setOpen(toggle(open, r.revision, "diff"))}>
                    Diff against current
                  </Button>
                  {canRevert ? (
                    <Button size="sm" onClick={() => setRevertTo(r.revision)}>
                      Revert…
                    </Button>
                  ) : null}
                </>
              ) : null}
            </div>
          </div>
          {open?.revision === r.revision && open.show === "file" ? (
            <pre className="mt-2 max-h-80 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
              {r.yaml}
            </pre>
          ) : null}
          {open?.revision === r.revision && open.show === "diff" ? (
            <RevisionDiff name={name} revision={r.revision} />
          ) : null}
        </li>
      ))}
      <Dialog
        open={revertTo !== undefined}
        title={`Revert ${name} to revision ${revertTo}?`}
        confirmLabel="Revert"
        busy={revert.isPending}
        onConfirm={() => revertTo !== undefined && revert.mutate(revertTo)}
        onClose={() => setRevertTo(undefined)}
      >
        <p>The revision is deployed again as a new revision; services it did not have are removed.</p>
      </Dialog>
    </ol>
  );
}

function RevisionDiff({ name, revision }: { name: string; revision: number }) {
  const detail = useQuery({
    queryKey: ["stacks", "revision", name, revision],
    queryFn: () => api.stacks.revision.query({ name, revision }),
    retry: false,
    staleTime: 0,
    gcTime: 0,
  });
  if (detail.error) return <ErrorNotice error={detail.error} title="Cannot diff this revision" />;
  if (!detail.data) return <p className="mt-2 text-xs text-slate-500">Comparing…</p>;
  return (
    <div className="mt-2">
      <p className="mb-1 text-xs text-slate-500">Reverting to revision {revision} would change:</p>
      <StackPlanView services={detail.data.diff} />
    </div>
  );
}

function toggle(
  open: { revision: number; show: "file" | "diff" } | undefined,
  revision: number,
  show: "file" | "diff",
) {
  return open?.revision === revision && open.show === show ? undefined : { revision, show };
}
