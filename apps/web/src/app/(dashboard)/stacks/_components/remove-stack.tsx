"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/button.tsx";
import { Dialog } from "@/components/dialog.tsx";
import { useToast } from "@/components/toast.tsx";
import { errorMessage } from "@/lib/api-errors.ts";
import { api } from "@/lib/trpc-client.ts";

export function RemoveStack({ name }: { name: string }) {
  const notify = useToast();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const remove = useMutation({
    mutationFn: () => api.stacks.remove.mutate({ name }),
    onSuccess: (r) => {
      notify("success", `Stack ${name} removed (${r.services.length} services).`);
      router.push("/stacks");
    },
    onError: (error) => {
      setOpen(false);
      notify("error", errorMessage(error));
    },
  });
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Remove stack…
      </Button>
      <Dialog
        open={open}
        title={`Remove stack ${name}?`}
        confirmLabel="Remove"
        tone="danger"
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onClose={() => setOpen(false)}
      >
        <p>Its services, networks, secrets and configs are removed. Revisions stay in the history.</p>
      </Dialog>
    </>
  );
}
