"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { AccountFields } from "@/components/account-fields.tsx";
import { CenteredPanel } from "@/components/centered-panel.tsx";
import { SubmitForm } from "@/components/submit-form.tsx";
import { useRedirectUnless, useReloadAndGo } from "@/lib/entry-route.ts";
import { api } from "@/lib/trpc-client.ts";

/** First run on a swarm made without the dashboard: create the first admin, then log in. */
export default function CreateAdminPage() {
  useRedirectUnless("/create-admin");
  const reloadAndGo = useReloadAndGo();
  const [name, setName] = useState("admin");
  const [password, setPassword] = useState("");
  const setup = useMutation({
    mutationFn: async () => {
      await api.auth.setup.mutate({ name, password });
      await api.auth.login.mutate({ name, password });
    },
    onSuccess: () => reloadAndGo("/swarm"),
  });
  return (
    <CenteredPanel
      title="Create the first admin"
      subtitle="This swarm has no users yet. The first account is an admin; it can add others later."
    >
      <SubmitForm
        onSubmit={() => setup.mutate()}
        pending={setup.isPending}
        error={setup.error}
        errorTitle="Could not create the admin"
        submitLabel="Create admin and log in"
        className="space-y-4 rounded-lg border border-slate-200 bg-white p-5"
      >
        <AccountFields
          name={name}
          password={password}
          onNameChange={setName}
          onPasswordChange={setPassword}
          newAccount
        />
      </SubmitForm>
    </CenteredPanel>
  );
}
