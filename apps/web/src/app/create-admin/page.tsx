"use client";
import { AccountPanel } from "@/components/account-panel.tsx";
import { useRedirectUnless, useReloadAndGo } from "@/lib/entry-route.ts";
import { api } from "@/lib/trpc-client.ts";

/** First run on a swarm made without the dashboard: create the first admin, then log in. */
export default function CreateAdminPage() {
  useRedirectUnless("/create-admin");
  const reloadAndGo = useReloadAndGo();
  return (
    <AccountPanel
      title="Create the first admin"
      subtitle="This swarm has no users yet. The first account is an admin; it can add others later."
      submitLabel="Create admin and log in"
      errorTitle="Could not create the admin"
      initialName="admin"
      newAccount
      submit={async (account) => {
        await api.auth.setup.mutate(account);
        await api.auth.login.mutate(account);
      }}
      onDone={() => reloadAndGo("/swarm")}
    />
  );
}
