"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Card } from "@/components/card.tsx";
import { SubmitForm } from "@/components/submit-form.tsx";
import { TextField } from "@/components/text-field.tsx";
import { useReloadAndGo } from "@/lib/entry-route.ts";
import { api } from "@/lib/trpc-client.ts";

/** Join a swarm that already runs, with a join token from one of its managers. */
export function JoinSwarmForm() {
  const reloadAndGo = useReloadAndGo();
  const [token, setToken] = useState("");
  const [remoteAddr, setRemoteAddr] = useState("");
  const join = useMutation({
    mutationFn: () => api.swarm.join.mutate({ token: token.trim(), remoteAddr: remoteAddr.trim() }),
    onSuccess: (result) => reloadAndGo(result.role === "manager" ? "/login" : "/worker"),
  });
  return (
    <Card title="Join a swarm">
      <SubmitForm
        onSubmit={() => join.mutate()}
        pending={join.isPending}
        error={join.error}
        errorTitle="Could not join the swarm"
        pendingNote="Checking the swarm's CA, getting a certificate, joining…"
        submitLabel="Join swarm"
        className="space-y-4"
      >
        <TextField
          label="Join token"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          placeholder="SWMTKN-1-…"
          hint="From the Swarm page of a manager. A manager token makes this node a manager."
          required
        />
        <TextField
          label="Manager address"
          value={remoteAddr}
          onChange={(e) => setRemoteAddr(e.target.value)}
          placeholder="10.0.0.5:2377"
          hint="host:port of any manager of that swarm."
          required
        />
      </SubmitForm>
    </Card>
  );
}
