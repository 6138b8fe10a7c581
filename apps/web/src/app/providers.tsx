"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { ToastProvider } from "@/components/toast.tsx";
import { shoalCode } from "@/lib/api-errors.ts";

const NO_RETRY = new Set([
  "unauthenticated",
  "forbidden",
  "setup-required",
  "invalid-argument",
  "not-found",
  "failed-precondition",
]);

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 30_000,
            refetchOnWindowFocus: false,
            retry: (count, error) => !NO_RETRY.has(shoalCode(error) ?? "") && count < 2,
          },
        },
      }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>{children}</ToastProvider>
    </QueryClientProvider>
  );
}
