"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/button.tsx";
import { Dialog } from "@/components/dialog.tsx";
import { useToast } from "@/components/toast.tsx";
import { errorMessage } from "@/lib/api-errors.ts";
import { roleChangeSentence } from "@/lib/quorum.ts";
import { api, type NodeItem } from "@/lib/trpc-client.ts";

type Availability = "active" | "pause" | "drain";
const AVAILABILITY_LABEL: Record<Availability, string> = {
  active: "Activate",
  pause: "Pause",
  drain: "Drain",
};

/** Availability (operators) and promote/demote (admins). The live table shows the result. */
export function NodeActions({
  node,
  managerCount,
  canAdmin,
}: {
  node: NodeItem;
  managerCount: number;
  canAdmin: boolean;
}) {
  const notify = useToast();
  const [roleChange, setRoleChange] = useState<"promote" | "demote" | undefined>();
  const name = node.description?.hostname ?? node.id;
  const availability = useMutation({
    mutationFn: (value: Availability) => api.nodes.update.mutate({ node: node.id, availability: value }),
    onSuccess: (_r, value) => notify("success", `${name}: availability set to ${value}.`),
    onError: (error) => notify("error", errorMessage(error)),
  });
  const setRole = useMutation({
    mutationFn: (change: "promote" | "demote") =>
      api.nodes.setRole.mutate({ node: node.id, role: change === "promote" ? "manager" : "worker" }),
    onSuccess: (_r, change) => {
      setRoleChange(undefined);
      notify(
        "success",
        change === "promote"
          ? `${name} is being promoted to a manager.`
          : `${name} is being demoted to a worker.`,
      );
    },
    onError: (error) => {
      setRoleChange(undefined);
      notify("error", errorMessage(error));
    },
  });
  return (
    <div className="flex justify-end gap-1">
      {(["active", "pause", "drain"] as const).map((value) => (
        <Button
          key={value}
          size="sm"
          disabled={node.spec.availability === value || availability.isPending}
          onClick={() => availability.mutate(value)}
          title={value === "drain" ? "Move this node's tasks elsewhere and give it no new ones" : undefined}
        >
          {AVAILABILITY_LABEL[value]}
        </Button>
      ))}
      {canAdmin ? (
        <Button
          size="sm"
          variant="ghost"
          onClick={() => setRoleChange(node.spec.role === "manager" ? "demote" : "promote")}
        >
          {node.spec.role === "manager" ? "Demote…" : "Promote…"}
        </Button>
      ) : null}
      <Dialog
        open={roleChange !== undefined}
        title={roleChange === "promote" ? `Promote ${name} to a manager?` : `Demote ${name} to a worker?`}
        confirmLabel={roleChange === "promote" ? "Promote" : "Demote"}
        tone={roleChange === "demote" ? "danger" : "primary"}
        busy={setRole.isPending}
        onConfirm={() => roleChange && setRole.mutate(roleChange)}
        onClose={() => setRoleChange(undefined)}
      >
        <p>
          {roleChange === "promote"
            ? "The node joins Raft as a learner and votes once it has caught up. Managers keep the swarm's state and serve this dashboard."
            : "The node leaves Raft and stops serving the API; its tasks keep running."}
        </p>
        <p
          className={`font-medium ${roleChange === "demote" ? "rounded-md bg-amber-50 px-3 py-2 text-amber-900" : "text-slate-800"}`}
          role={roleChange === "demote" ? "alert" : undefined}
        >
          {roleChange ? roleChangeSentence(managerCount, roleChange) : null}
        </p>
      </Dialog>
    </div>
  );
}
