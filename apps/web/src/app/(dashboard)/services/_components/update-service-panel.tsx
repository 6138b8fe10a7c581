"use client";
import { useMutation } from "@tanstack/react-query";
import { Card } from "@/components/card.tsx";
import { ErrorNotice } from "@/components/error-notice.tsx";
import { useToast } from "@/components/toast.tsx";
import { api, type ServiceItem } from "@/lib/trpc-client.ts";
import { ServiceForm } from "./service-form.tsx";
import { valuesFromService } from "./service-form-model.ts";

/** Update a service from its current spec; a changed task template starts a rolling update. */
export function UpdateServicePanel({ service, onDone }: { service: ServiceItem; onDone: () => void }) {
  const notify = useToast();
  const update = useMutation({
    mutationFn: (spec: Parameters<typeof api.services.update.mutate>[0]["spec"]) =>
      api.services.update.mutate({ service: service.id, version: service.version, spec }),
    onSuccess: () => {
      notify("success", `${service.spec.name} updated.`);
      onDone();
    },
  });
  return (
    <Card title="Update the service">
      {update.error ? (
        <div className="mb-4">
          <ErrorNotice error={update.error} title="The update was refused" />
        </div>
      ) : null}
      <ServiceForm
        initial={valuesFromService(service.spec)}
        base={service.spec}
        lockName
        submitLabel="Update service"
        busy={update.isPending}
        onSubmit={(spec) => update.mutate(spec)}
        onCancel={onDone}
      />
    </Card>
  );
}
