"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { CenteredPanel } from "@/components/centered-panel.tsx";
import { SubmitForm } from "@/components/submit-form.tsx";
import { TextField } from "@/components/text-field.tsx";
import { useRedirectUnless, useReloadAndGo } from "@/lib/entry-route.ts";
import { useNodeStatus } from "@/lib/queries.ts";
import { api } from "@/lib/trpc-client.ts";

/**
 * A manager restarted under autolock: its keys are encrypted and nothing else answers until it is
 * given the unlock key (`shoal swarm unlock-key` shows it on a manager that runs).
 */
export default function UnlockPage() {
  useRedirectUnless("/unlock");
  const reloadAndGo = useReloadAndGo();
  const status = useNodeStatus().data;
  const [key, setKey] = useState("");
  const unlock = useMutation({
    mutationFn: () => api.swarm.unlock.mutate({ key: key.trim() }),
    onSuccess: () => reloadAndGo("/"),
  });
  return (
    <CenteredPanel
      title="This manager is locked"
      subtitle={`${status?.hostname ?? "This node"} restarted with autolock on: its keys stay encrypted until you give the swarm's unlock key.`}
    >
      <SubmitForm
        onSubmit={() => unlock.mutate()}
        pending={unlock.isPending}
        error={unlock.error}
        errorTitle="Could not unlock this manager"
        pendingNote="Opening the keys and starting the manager…"
        submitLabel="Unlock"
        className="space-y-4 rounded-lg border border-slate-200 bg-white p-5"
      >
        <TextField
          label="Unlock key"
          type="password"
          autoComplete="off"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          placeholder="SWMKEY-1-…"
          hint="Shown by “shoal swarm unlock-key” on a running manager, and when autolock was turned on."
          required
        />
      </SubmitForm>
    </CenteredPanel>
  );
}
