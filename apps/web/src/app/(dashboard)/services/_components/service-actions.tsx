"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Button } from "@/components/button.tsx";
import { Dialog } from "@/components/dialog.tsx";
import { INPUT_CLASS } from "@/components/field.tsx";
import { useToast } from "@/components/toast.tsx";
import { errorMessage } from "@/lib/api-errors.ts";
import { api, type ServiceItem } from "@/lib/trpc-client.ts";

/** Scale, rollback and remove. Results arrive through the live lists, not a refetch. */
export function ServiceActions({ service }: { service: ServiceItem }) {
  const notify = useToast();
  const router = useRouter();
  const name = service.spec.name;
  const current = "replicated" in service.spec.mode ? service.spec.mode.replicated.replicas : undefined;
  const [replicas, setReplicas] = useState(String(current ?? ""));
  const [confirm, setConfirm] = useState<"rollback" | "remove" | undefined>();
  useEffect(() => setReplicas(String(current ?? "")), [current]);
  const onError = (error: unknown) => {
    setConfirm(undefined);
    notify("error", errorMessage(error));
  };
  const scale = useMutation({
    mutationFn: (n: number) => api.services.scale.mutate({ service: service.id, replicas: n }),
    onSuccess: (_r, n) => notify("success", `${name} scaled to ${n}.`),
    onError,
  });
  const rollback = useMutation({
    mutationFn: () => api.services.rollback.mutate({ service: service.id }),
    onSuccess: () => {
      setConfirm(undefined);
      notify("success", `${name} is rolling back to its previous spec.`);
    },
    onError,
  });
  const remove = useMutation({
    mutationFn: () => api.services.remove.mutate({ service: service.id }),
    onSuccess: () => {
      notify("success", `${name} removed.`);
      router.push("/services");
    },
    onError,
  });
  const valid = /^\d+$/.test(replicas) && Number(replicas) <= 10_000;
  return (
    <div className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4">
      {current !== undefined ? (
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) scale.mutate(Number(replicas));
          }}
        >
          <label className="text-sm font-medium text-slate-700" htmlFor="scale-replicas">
            Replicas
            <input
              id="scale-replicas"
              inputMode="numeric"
              className={INPUT_CLASS.replace("w-full", "w-20")}
              value={replicas}
              aria-invalid={valid ? undefined : true}
              onChange={(e) => setReplicas(e.target.value)}
            />
          </label>
          <Button
            aria-label="One replica fewer"
            disabled={!valid || Number(replicas) === 0}
            onClick={() => setReplicas(String(Number(replicas) - 1))}
          >
            −
          </Button>
          <Button
            aria-label="One replica more"
            disabled={!valid}
            onClick={() => setReplicas(String(Number(replicas) + 1))}
          >
            +
          </Button>
          <Button
            type="submit"
            variant="primary"
            busy={scale.isPending}
            disabled={!valid || Number(replicas) === current}
          >
            Scale
          </Button>
        </form>
      ) : (
        <p className="text-sm text-slate-500">Global service: one task on every eligible node.</p>
      )}
      <div className="ml-auto flex gap-2">
        <Button
          disabled={!service.previousSpec}
          title={service.previousSpec ? "Go back to the spec before the last update" : "No previous spec"}
          onClick={() => setConfirm("rollback")}
        >
          Rollback…
        </Button>
        <Button variant="danger" onClick={() => setConfirm("remove")}>
          Remove…
        </Button>
      </div>
      <Dialog
        open={confirm !== undefined}
        title={confirm === "remove" ? `Remove ${name}?` : `Roll ${name} back?`}
        confirmLabel={confirm === "remove" ? "Remove" : "Rollback"}
        tone={confirm === "remove" ? "danger" : "primary"}
        busy={rollback.isPending || remove.isPending}
        onConfirm={() => (confirm === "remove" ? remove.mutate() : rollback.mutate())}
        onClose={() => setConfirm(undefined)}
      >
        <p>
          {confirm === "remove"
            ? "Every task of the service stops and the service is deleted."
            : "The service returns to its spec before the last update, slot by slot, with its rollback policy."}
        </p>
      </Dialog>
    </div>
  );
}
