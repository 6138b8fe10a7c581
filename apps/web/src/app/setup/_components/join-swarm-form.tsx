"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/button.tsx";
import { Card } from "@/components/card.tsx";
import { ErrorNotice } from "@/components/error-notice.tsx";
import { TextField } from "@/components/text-field.tsx";
import { api } from "@/lib/trpc-client.ts";

/** Join a swarm that already runs, with a join token from one of its managers. */
export function JoinSwarmForm() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [token, setToken] = useState("");
  const [remoteAddr, setRemoteAddr] = useState("");
  const join = useMutation({
    mutationFn: () => api.swarm.join.mutate({ token: token.trim(), remoteAddr: remoteAddr.trim() }),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries();
      router.replace(result.role === "manager" ? "/login" : "/worker");
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    join.mutate();
  };
  return (
    <Card title="Join a swarm">
      <form onSubmit={submit} className="space-y-4">
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
        <ErrorNotice error={join.error} title="Could not join the swarm" />
        {join.isPending ? (
          <p className="text-sm text-slate-500">Checking the swarm's CA, getting a certificate, joining…</p>
        ) : null}
        <Button type="submit" variant="primary" busy={join.isPending} className="w-full">
          Join swarm
        </Button>
      </form>
    </Card>
  );
}
