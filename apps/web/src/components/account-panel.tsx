"use client";
import { useMutation } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { AccountFields } from "./account-fields.tsx";
import { CenteredPanel } from "./centered-panel.tsx";
import { SubmitForm } from "./submit-form.tsx";

/**
 * A centred page with one account form (name and password) and its submit: logging in, or
 * creating the first admin. `submit` runs the server calls; `onDone` follows success.
 */
export function AccountPanel({
  title,
  subtitle,
  submitLabel,
  errorTitle,
  initialName = "",
  newAccount,
  submit,
  onDone,
}: {
  title: string;
  subtitle?: ReactNode;
  submitLabel: string;
  errorTitle: string;
  initialName?: string;
  newAccount: boolean;
  submit: (account: { name: string; password: string }) => Promise<unknown>;
  onDone: () => void;
}) {
  const [name, setName] = useState(initialName);
  const [password, setPassword] = useState("");
  const mutation = useMutation({ mutationFn: () => submit({ name, password }), onSuccess: onDone });
  return (
    <CenteredPanel title={title} subtitle={subtitle}>
      <SubmitForm
        onSubmit={() => mutation.mutate()}
        pending={mutation.isPending}
        error={mutation.error}
        errorTitle={errorTitle}
        submitLabel={submitLabel}
        className="space-y-4 rounded-lg border border-slate-200 bg-white p-5"
      >
        <AccountFields
          name={name}
          password={password}
          onNameChange={setName}
          onPasswordChange={setPassword}
          newAccount={newAccount}
          autoFocus={!newAccount}
        />
      </SubmitForm>
    </CenteredPanel>
  );
}
