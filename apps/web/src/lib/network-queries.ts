"use client";
/**
 * The dashboard's network reads. Networks have no list room of their own: the live-updates
 * provider refetches these queries (only those a page shows) when a task or service delta, or a
 * network event, arrives — what changes a network's members. Nothing polls.
 */
import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "./query-keys.ts";
import { api, type RouterOutputs } from "./trpc-client.ts";

export type NetworkItem = RouterOutputs["networks"]["list"]["items"][number];
export type NetworkDetail = RouterOutputs["networks"]["inspect"];

export function useNetworks() {
  return useQuery({
    queryKey: queryKeys.networks,
    queryFn: () => api.networks.list.query(),
  });
}

/** One network with its task containers, services (VIPs) and nodes; `ref` is its id or name. */
export function useNetwork(ref: string) {
  return useQuery({
    queryKey: queryKeys.network(ref),
    queryFn: () => api.networks.inspect.query({ network: ref }),
    retry: false,
  });
}
