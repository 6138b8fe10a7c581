"use client";
import { type ReactNode, useMemo, useState } from "react";
import { Button } from "@/components/button.tsx";
import { describedBy, Field, INPUT_CLASS } from "@/components/field.tsx";
import type { ServiceItem } from "@/lib/trpc-client.ts";
import {
  buildServiceSpec,
  type FieldName,
  FORM_DEFAULTS,
  type ServiceFormValues,
} from "./service-form-model.ts";

type Spec = NonNullable<ReturnType<typeof buildServiceSpec>["spec"]>;

/**
 * Create or update a service. Every change is checked with the server's schema as you type;
 * errors show once a field has been touched (or on submit).
 */
export function ServiceForm({
  initial = FORM_DEFAULTS,
  base,
  submitLabel,
  busy,
  lockName,
  onSubmit,
  onCancel,
}: {
  initial?: ServiceFormValues;
  base?: ServiceItem["spec"];
  submitLabel: string;
  busy: boolean;
  lockName?: boolean;
  onSubmit: (spec: Spec) => void;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState(initial);
  const [touched, setTouched] = useState<Partial<Record<FieldName, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const built = useMemo(() => buildServiceSpec(values, base), [values, base]);
  const errorOf = (name: FieldName) => (submitted || touched[name] ? built.errors[name] : undefined);
  const set = (name: FieldName) => (value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    setTouched((t) => ({ ...t, [name]: true }));
  };
  const input = (name: FieldName, label: string, hint?: string, extra: Record<string, unknown> = {}) => (
    <Field id={`svc-${name}`} label={label} hint={hint} error={errorOf(name)}>
      <input
        id={`svc-${name}`}
        className={INPUT_CLASS}
        value={values[name]}
        onChange={(e) => set(name)(e.target.value)}
        {...describedBy(`svc-${name}`, errorOf(name))}
        {...extra}
      />
    </Field>
  );
  const area = (name: FieldName, label: string, hint: string, placeholder: string) => (
    <Field id={`svc-${name}`} label={label} hint={hint} error={errorOf(name)}>
      <textarea
        id={`svc-${name}`}
        rows={3}
        className={`${INPUT_CLASS} font-mono text-xs`}
        placeholder={placeholder}
        value={values[name]}
        onChange={(e) => set(name)(e.target.value)}
        {...describedBy(`svc-${name}`, errorOf(name))}
      />
    </Field>
  );
  const select = (name: FieldName, label: string, options: string[]) => (
    <Field id={`svc-${name}`} label={label}>
      <select
        id={`svc-${name}`}
        className={INPUT_CLASS}
        value={values[name]}
        onChange={(e) => set(name)(e.target.value)}
      >
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    </Field>
  );
  return (
    <form
      noValidate
      className="space-y-6"
      onSubmit={(e) => {
        e.preventDefault();
        setSubmitted(true);
        if (built.spec) onSubmit(built.spec);
      }}
    >
      <Section title="Service">
        {input("name", "Name", "Letters, digits, - and _", { readOnly: lockName, autoFocus: !lockName })}
        {input("image", "Image", "e.g. shoal-test/busybox:1")}
        {select("mode", "Mode", ["replicated", "global"])}
        {values.mode === "replicated"
          ? input("replicas", "Replicas", "How many tasks to run", { inputMode: "numeric" })
          : null}
      </Section>
      <Section title="Ports and environment">
        {area("ports", "Published ports", "One per line: PUBLISHED:TARGET[/udp]", "8080:80")}
        {area("env", "Environment", "One KEY=value per line", "LOG_LEVEL=info")}
      </Section>
      <Section title="Placement">
        {area("constraints", "Constraints", "One per line", "node.role==worker")}
        {area("preferences", "Preferences", "One spread=label per line", "spread=node.labels.zone")}
      </Section>
      <Section title="Resources">
        {input("cpuLimit", "CPU limit", "e.g. 0.5 (empty: none)")}
        {input("memoryLimit", "Memory limit", "e.g. 128M")}
        {input("cpuReservation", "CPU reservation", "Scheduled against free CPU")}
        {input("memoryReservation", "Memory reservation", "Scheduled against free memory")}
      </Section>
      <Section title="Restart policy">
        {select("restartCondition", "Condition", ["any", "on-failure", "none"])}
        {input("restartDelay", "Delay", "e.g. 5s")}
        {input("restartMaxAttempts", "Max attempts", "0: unlimited")}
      </Section>
      <Section title="Update policy">
        {input("updateParallelism", "Parallelism", "Tasks per batch (0: all)")}
        {input("updateDelay", "Delay between batches", "e.g. 10s")}
        {input("updateMonitor", "Monitor", "How long a new task must run")}
        {select("updateFailureAction", "On failure", ["pause", "continue", "rollback"])}
        {select("updateOrder", "Order", ["stop-first", "start-first"])}
      </Section>
      <div className="flex gap-2">
        <Button type="submit" variant="primary" busy={busy}>
          {submitLabel}
        </Button>
        {onCancel ? <Button onClick={onCancel}>Cancel</Button> : null}
        {submitted && !built.spec ? (
          <p role="alert" className="self-center text-sm text-rose-700">
            Fix the fields marked in red.
          </p>
        ) : null}
      </div>
    </form>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="rounded-lg border border-slate-200 bg-white p-4">
      <legend className="px-1 text-sm font-semibold text-slate-800">{title}</legend>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">{children}</div>
    </fieldset>
  );
}
