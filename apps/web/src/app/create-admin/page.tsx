"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/button.tsx";
import { CenteredPanel } from "@/components/centered-panel.tsx";
import { ErrorNotice } from "@/components/error-notice.tsx";
import { TextField } from "@/components/text-field.tsx";
import { useRedirectUnless } from "@/lib/entry-route.ts";
import { api } from "@/lib/trpc-client.ts";

/** First run on a swarm made without the dashboard: create the first admin, then log in. */
export default function CreateAdminPage() {
  useRedirectUnless("/create-admin");
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState("admin");
  const [password, setPassword] = useState("");
  const setup = useMutation({
    mutationFn: async () => {
      await api.auth.setup.mutate({ name, password });
      await api.auth.login.mutate({ name, password });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries();
      router.replace("/swarm");
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setup.mutate();
  };
  return (
    <CenteredPanel
      title="Create the first admin"
      subtitle="This swarm has no users yet. The first account is an admin; it can add others later."
    >
      <form onSubmit={submit} className="space-y-4 rounded-lg border border-slate-200 bg-white p-5">
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
        <ErrorNotice error={setup.error} title="Could not create the admin" />
        <Button type="submit" variant="primary" busy={setup.isPending} className="w-full">
          Create admin and log in
        </Button>
      </form>
    </CenteredPanel>
  );
}
