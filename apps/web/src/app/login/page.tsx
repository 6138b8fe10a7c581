"use client";
import { AccountPanel } from "@/components/account-panel.tsx";
import { useRedirectUnless, useReloadAndGo } from "@/lib/entry-route.ts";
import { useNodeStatus } from "@/lib/queries.ts";
import { api } from "@/lib/trpc-client.ts";

export default function LoginPage() {
  useRedirectUnless("/login");
  const reloadAndGo = useReloadAndGo();
  const status = useNodeStatus();
  return (
    <AccountPanel
      title="Log in"
      subtitle={status.data ? `to ${status.data.hostname}, a manager of this swarm` : undefined}
      submitLabel="Log in"
      errorTitle="Could not log in"
      newAccount={false}
      submit={(account) => api.auth.login.mutate(account)}
      onDone={() => reloadAndGo("/swarm")}
    />
  );
}
