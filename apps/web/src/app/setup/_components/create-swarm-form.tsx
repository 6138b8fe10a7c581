"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { AccountFields } from "@/components/account-fields.tsx";
import { Card } from "@/components/card.tsx";
import { SubmitForm } from "@/components/submit-form.tsx";
import { TextField } from "@/components/text-field.tsx";
import { useReloadAndGo } from "@/lib/entry-route.ts";
import { api } from "@/lib/trpc-client.ts";

/** Create a swarm with this node as its first manager, and its first admin in the same step. */
export function CreateSwarmForm({ advertiseAddr }: { advertiseAddr: string }) {
  const reloadAndGo = useReloadAndGo();
  const [addr, setAddr] = useState(advertiseAddr);
  const [name, setName] = useState("admin");
  const [password, setPassword] = useState("");
  const init = useMutation({
    mutationFn: () => api.swarm.init.mutate({ advertiseAddr: addr, admin: { name, password } }),
    onSuccess: () => reloadAndGo("/swarm"),
  });
  return (
    <Card title="Create a swarm">
      <SubmitForm
        onSubmit={() => init.mutate()}
        pending={init.isPending}
        error={init.error}
        errorTitle="Could not create the swarm"
        pendingNote="Creating the root CA, starting Raft and electing this node leader…"
        submitLabel="Create swarm"
        className="space-y-4"
      >
        <TextField
          label="Advertise address"
          value={addr}
          onChange={(e) => setAddr(e.target.value)}
          hint="host:port other nodes reach this manager at (swarm traffic, mutual TLS)."
          required
        />
        <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-xs font-medium text-slate-500">First admin account</legend>
          <AccountFields
            name={name}
            password={password}
            onNameChange={setName}
            onPasswordChange={setPassword}
            newAccount
          />
        </fieldset>
      </SubmitForm>
    </Card>
  );
}
