"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { describedBy, Field, INPUT_CLASS } from "@/components/field.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { StackWorkbench } from "../_components/stack-workbench.tsx";

const STACK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const STARTER = `services:
  web:
    image: shoal-test/busybox:1
    command: ["httpd", "-f", "-p", "80"]
    deploy:
      replicas: 2
`;

export default function NewStackPage() {
  const router = useRouter();
  const [name, setName] = useState("");
  const nameError =
    name && !STACK_NAME.test(name) ? "Start with a letter or digit; then letters, digits, _ . -" : undefined;
  return (
    <>
      <PageHeader
        title="New stack"
        description="Checked by the server as you type; deploy when the plan looks right."
      />
      <Field
        id="stack-name"
        label="Stack name"
        hint="Prefixes every service: NAME_web"
        error={nameError}
        className="mb-4 max-w-xs"
      >
        <input
          id="stack-name"
          className={INPUT_CLASS}
          value={name}
          // biome-ignore lint/a11y/noAutofocus: the first thing to type
          autoFocus
          onChange={(e) => setName(e.target.value.trim())}
          {...describedBy("stack-name", nameError)}
        />
      </Field>
      <StackWorkbench
        name={nameError ? "" : name}
        initial={STARTER}
        canDeploy
        onDeployed={() => router.push(`/stacks/${name}`)}
      />
    </>
  );
}
