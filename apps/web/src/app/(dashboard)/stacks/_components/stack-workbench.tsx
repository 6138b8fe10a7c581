"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/button.tsx";
import { Card } from "@/components/card.tsx";
import { ErrorNotice } from "@/components/error-notice.tsx";
import { useToast } from "@/components/toast.tsx";
import { api } from "@/lib/trpc-client.ts";
import { DiagnosticsList } from "./diagnostics-list.tsx";
import { StackEditor } from "./stack-editor.tsx";
import {
  filesToSend,
  NO_OBJECT_DATA,
  type StackObjectData,
  StackObjectFiles,
} from "./stack-object-files.tsx";
import { StackPlanView } from "./stack-plan-view.tsx";
import { STACK_FILE_NAME, useStackCheck } from "./use-stack-check.ts";

/**
 * Edit a stack file, see the server's diagnostics inline and the plan of what deploying changes,
 * then deploy. Secrets and configs the deploy creates from `file:` are uploaded or pasted and
 * sent with it. `name` empty: the caller asks for it (a new stack).
 */
export function StackWorkbench({
  name,
  initial,
  canDeploy,
  onDeployed,
}: {
  name: string;
  initial: string;
  canDeploy: boolean;
  onDeployed: (revision: number) => void;
}) {
  const notify = useToast();
  const [text, setText] = useState(initial);
  const [prune, setPrune] = useState(false);
  const [objectData, setObjectData] = useState<StackObjectData>(NO_OBJECT_DATA);
  const check = useStackCheck(name, text, prune);
  const diagnostics = [...(check.validation?.errors ?? []), ...(check.validation?.warnings ?? [])];
  const plan = check.plan;
  const objectFiles = plan ? filesToSend(plan.objects) : [];
  const deploy = useMutation({
    mutationFn: () =>
      api.stacks.deploy.mutate({
        name,
        files: [{ name: STACK_FILE_NAME, text }],
        prune,
        secretData: objectData.secretData,
        configData: objectData.configData,
      }),
    onSuccess: (result) => {
      notify("success", `Stack ${result.stack} deployed as revision ${result.revision}.`);
      onDeployed(result.revision);
    },
  });
  const ready = !!plan && plan.problems.length === 0 && !plan.isEmpty && !check.checking;
  return (
    <div className="grid gap-4 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <div className="space-y-2">
        <StackEditor initial={initial} diagnostics={diagnostics} onChange={setText} label="Stack file" />
        <DiagnosticsList diagnostics={diagnostics} checking={check.checking} valid={check.validation?.ok} />
        {check.error ? <ErrorNotice error={check.error} title="The server could not check the file" /> : null}
      </div>
      <Card
        title="What deploying changes"
        actions={check.checking ? <span className="text-xs text-slate-500">checking…</span> : undefined}
      >
        {!name ? <p className="text-sm text-slate-500">Name the stack to see its plan.</p> : null}
        {name && !plan && !check.checking ? (
          <p className="text-sm text-slate-500">
            {check.validation && !check.validation.ok
              ? "Fix the errors in the file to see what would change."
              : "Write a stack file: services, their images and deploy settings. Ctrl-Space lists the keys."}
          </p>
        ) : null}
        {plan ? (
          <div className="space-y-3">
            {plan.isEmpty ? (
              <p className="text-sm text-slate-600">
                Nothing to change: the stack is already like this file.
              </p>
            ) : null}
            <StackPlanView services={plan.services} objects={plan.objects} />
            {plan.problems.map((p) => (
              <p key={p} role="alert" className="text-sm text-rose-700">
                {p}
              </p>
            ))}
          </div>
        ) : null}
        {canDeploy ? (
          <div className="mt-4 space-y-3 border-t border-slate-100 pt-3">
            <StackObjectFiles files={objectFiles} data={objectData} onChange={setObjectData} />
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" checked={prune} onChange={(e) => setPrune(e.target.checked)} />
              Remove services the file no longer defines (prune)
            </label>
            {deploy.error ? <ErrorNotice error={deploy.error} title="The deploy was refused" /> : null}
            <Button
              variant="primary"
              disabled={!ready}
              busy={deploy.isPending}
              onClick={() => deploy.mutate()}
            >
              Deploy
            </Button>
          </div>
        ) : null}
      </Card>
    </div>
  );
}
