"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/button.tsx";
import { Card } from "@/components/card.tsx";
import { CopyCommand } from "@/components/copy-command.tsx";
import { Dialog } from "@/components/dialog.tsx";
import { ErrorNotice } from "@/components/error-notice.tsx";
import { useToast } from "@/components/toast.tsx";
import { errorMessage } from "@/lib/api-errors.ts";
import { queryKeys } from "@/lib/query-keys.ts";
import { api } from "@/lib/trpc-client.ts";

type JoinRole = "worker" | "manager";

/** `shoal swarm join` lines for workers and managers, with rotation (admins only). */
export function JoinCommands({ joinAddr, canManage }: { joinAddr: string; canManage: boolean }) {
  return (
    <Card title="Add nodes">
      {canManage ? (
        <div className="space-y-6">
          <JoinCommand joinRole="worker" joinAddr={joinAddr} />
          <JoinCommand joinRole="manager" joinAddr={joinAddr} />
        </div>
      ) : (
        <p className="text-sm text-slate-500">
          Join tokens are shown to admins only. Ask an admin to add nodes.
        </p>
      )}
    </Card>
  );
}

function JoinCommand({ joinRole: role, joinAddr }: { joinRole: JoinRole; joinAddr: string }) {
  const queryClient = useQueryClient();
  const notify = useToast();
  const [confirming, setConfirming] = useState(false);
  const token = useQuery({
    queryKey: queryKeys.joinToken(role),
    queryFn: () => api.swarm.joinToken.query({ role }),
  });
  const rotate = useMutation({
    mutationFn: () => api.swarm.rotateJoinToken.mutate({ role }),
    onSuccess: (result) => {
      queryClient.setQueryData(queryKeys.joinToken(role), result);
      setConfirming(false);
      notify("success", `New ${role} join token: the old one no longer works.`);
    },
    onError: (error) => notify("error", errorMessage(error)),
  });
  return (
    <div>
      <div className="mb-2 flex items-center justify-between">
        <h3 className="text-sm font-medium text-slate-800">
          {role === "worker" ? "Add a worker" : "Add a manager"}
        </h3>
        <Button size="sm" variant="ghost" onClick={() => setConfirming(true)}>
          Rotate token…
        </Button>
      </div>
      <p className="mb-2 text-xs text-slate-500">
        Run this on the new node (its Shoal daemon must be running):
      </p>
      {token.error ? <ErrorNotice error={token.error} title="Could not read the join token" /> : null}
      {token.data ? (
        <CopyCommand command={`shoal swarm join --token ${token.data.token} ${joinAddr}`} />
      ) : null}
      <Dialog
        open={confirming}
        title={`Rotate the ${role} join token?`}
        confirmLabel="Rotate token"
        tone="danger"
        busy={rotate.isPending}
        onConfirm={() => rotate.mutate()}
        onClose={() => setConfirming(false)}
      >
        <p>
          Rotating makes a new {role} join token. The current token stops working at once, so a node that has
          not joined yet must use the new command.
        </p>
        <p>
          Nodes already in the swarm are not affected. Rotate when a token may have leaked, and update any
          scripts that use it.
        </p>
      </Dialog>
    </div>
  );
}
