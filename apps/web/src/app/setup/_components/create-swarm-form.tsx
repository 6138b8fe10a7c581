"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/button.tsx";
import { Card } from "@/components/card.tsx";
import { ErrorNotice } from "@/components/error-notice.tsx";
import { TextField } from "@/components/text-field.tsx";
import { api } from "@/lib/trpc-client.ts";

/** Create a swarm with this node as its first manager, and its first admin in the same step. */
export function CreateSwarmForm({ advertiseAddr }: { advertiseAddr: string }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [addr, setAddr] = useState(advertiseAddr);
  const [name, setName] = useState("admin");
  const [password, setPassword] = useState("");
  const init = useMutation({
    mutationFn: () => api.swarm.init.mutate({ advertiseAddr: addr, admin: { name, password } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries();
      router.replace("/swarm");
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    init.mutate();
  };
  return (
    <Card title="Create a swarm">
      <form onSubmit={submit} className="space-y-4">
        <TextField
          label="Advertise address"
          value={addr}
          onChange={(e) => setAddr(e.target.value)}
          hint="host:port other nodes reach this manager at (swarm traffic, mutual TLS)."
          required
        />
        <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-xs font-medium text-slate-500">First admin account</legend>
          <TextField
            label="User name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="username"
            required
          />
          <TextField
            label="Password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
            hint="At least 8 characters."
            required
          />
        </fieldset>
        <ErrorNotice error={init.error} title="Could not create the swarm" />
        {init.isPending ? (
          <p className="text-sm text-slate-500">
            Creating the root CA, starting Raft and electing this node leader…
          </p>
        ) : null}
        <Button type="submit" variant="primary" busy={init.isPending} className="w-full">
          Create swarm
        </Button>
      </form>
    </Card>
  );
}
