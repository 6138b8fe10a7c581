"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { ErrorNotice } from "@/components/error-notice.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { useToast } from "@/components/toast.tsx";
import { api } from "@/lib/trpc-client.ts";
import { ServiceForm } from "../_components/service-form.tsx";

export default function NewServicePage() {
  const router = useRouter();
  const notify = useToast();
  const create = useMutation({
    mutationFn: (spec: Parameters<typeof api.services.create.mutate>[0]["spec"]) =>
      api.services.create.mutate({ spec }),
    onSuccess: (service) => {
      notify("success", `Service ${service.spec.name} created.`);
      router.push(`/services/${service.id}`);
    },
  });
  return (
    <>
      <PageHeader
        title="Create a service"
        description="Checked as you type with the same rules the server applies."
      />
      {create.error ? (
        <div className="mb-4">
          <ErrorNotice error={create.error} title="The service was not created" />
        </div>
      ) : null}
      <ServiceForm
        submitLabel="Create service"
        busy={create.isPending}
        onSubmit={(spec) => create.mutate(spec)}
        onCancel={() => router.push("/services")}
      />
    </>
  );
}
