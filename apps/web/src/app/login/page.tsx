"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/button.tsx";
import { CenteredPanel } from "@/components/centered-panel.tsx";
import { ErrorNotice } from "@/components/error-notice.tsx";
import { TextField } from "@/components/text-field.tsx";
import { useRedirectUnless } from "@/lib/entry-route.ts";
import { useNodeStatus } from "@/lib/queries.ts";
import { api } from "@/lib/trpc-client.ts";

export default function LoginPage() {
  useRedirectUnless("/login");
  const router = useRouter();
  const queryClient = useQueryClient();
  const status = useNodeStatus();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const login = useMutation({
    mutationFn: () => api.auth.login.mutate({ name, password }),
    onSuccess: async () => {
      await queryClient.invalidateQueries();
      router.replace("/swarm");
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate();
  };
  return (
    <CenteredPanel
      title="Log in"
      subtitle={status.data ? `to ${status.data.hostname}, a manager of this swarm` : undefined}
    >
      <form onSubmit={submit} className="space-y-4 rounded-lg border border-slate-200 bg-white p-5">
        <TextField
          label="User name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoComplete="username"
          required
          autoFocus
        />
        <TextField
          label="Password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
          required
        />
        <ErrorNotice error={login.error} title="Could not log in" />
        <Button type="submit" variant="primary" busy={login.isPending} className="w-full">
          Log in
        </Button>
      </form>
    </CenteredPanel>
  );
}
