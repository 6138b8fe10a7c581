"use client";
/**
 * The dashboard's network reads. Networks carry no live updates of their own: the list and a
 * network's members (tasks come and go) are polled while a page shows them.
 */
import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "./query-keys.ts";
import { api, type RouterOutputs } from "./trpc-client.ts";

export type NetworkItem = RouterOutputs["networks"]["list"]["items"][number];
export type NetworkDetail = RouterOutputs["networks"]["inspect"];

const POLL_MS = 3_000;

export function useNetworks() {
  return useQuery({
    queryKey: queryKeys.networks,
    queryFn: () => api.networks.list.query(),
    refetchInterval: POLL_MS,
  });
}

/** One network with its task containers, services (VIPs) and nodes; `ref` is its id or name. */
export function useNetwork(ref: string) {
  return useQuery({
    queryKey: queryKeys.network(ref),
    queryFn: () => api.networks.inspect.query({ network: ref }),
    refetchInterval: POLL_MS,
    retry: false,
  });
}
