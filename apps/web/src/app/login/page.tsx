"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { AccountFields } from "@/components/account-fields.tsx";
import { CenteredPanel } from "@/components/centered-panel.tsx";
import { SubmitForm } from "@/components/submit-form.tsx";
import { useRedirectUnless, useReloadAndGo } from "@/lib/entry-route.ts";
import { useNodeStatus } from "@/lib/queries.ts";
import { api } from "@/lib/trpc-client.ts";

export default function LoginPage() {
  useRedirectUnless("/login");
  const reloadAndGo = useReloadAndGo();
  const status = useNodeStatus();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const login = useMutation({
    mutationFn: () => api.auth.login.mutate({ name, password }),
    onSuccess: () => reloadAndGo("/swarm"),
  });
  return (
    <CenteredPanel
      title="Log in"
      subtitle={status.data ? `to ${status.data.hostname}, a manager of this swarm` : undefined}
    >
      <SubmitForm
        onSubmit={() => login.mutate()}
        pending={login.isPending}
        error={login.error}
        errorTitle="Could not log in"
        submitLabel="Log in"
        className="space-y-4 rounded-lg border border-slate-200 bg-white p-5"
      >
        <AccountFields
          name={name}
          password={password}
          onNameChange={setName}
          onPasswordChange={setPassword}
          newAccount={false}
          autoFocus
        />
      </SubmitForm>
    </CenteredPanel>
  );
}
