"use client";
/** The dashboard's shared reads. Lists stay current through live updates: they never go stale. */
import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "./query-keys.ts";
import { api } from "./trpc-client.ts";

export function useNodeStatus() {
  return useQuery({ queryKey: queryKeys.status, queryFn: () => api.swarm.status.query() });
}

export function useMe(enabled = true) {
  return useQuery({ queryKey: queryKeys.me, queryFn: () => api.auth.me.query(), enabled, retry: false });
}

/**
 * Lists the live-updates hook keeps current: never stale, and no structural sharing (a patch
 * already keeps every unchanged item; comparing 10,000 items per frame would only cost time).
 */
const LIVE_LIST = { staleTime: Number.POSITIVE_INFINITY, structuralSharing: false } as const;

/** The full lists, patched in place by the live-updates hook: they never go stale. */
export function useNodes() {
  return useQuery({
    queryKey: queryKeys.list("nodes"),
    queryFn: () => api.nodes.list.query({}),
    ...LIVE_LIST,
  });
}

export function useServices() {
  return useQuery({
    queryKey: queryKeys.list("services"),
    queryFn: () => api.services.list.query({}),
    ...LIVE_LIST,
  });
}

export function useTasks() {
  return useQuery({
    queryKey: queryKeys.list("tasks"),
    queryFn: () => api.tasks.list.query({}),
    ...LIVE_LIST,
  });
}

/** One service's tasks only (a tasks view need not load every task of the swarm); live too. */
export function useServiceTasks(serviceId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.serviceTasks(serviceId ?? ""),
    queryFn: () => api.tasks.list.query({ filters: { service: serviceId } }),
    enabled: serviceId !== undefined,
    ...LIVE_LIST,
  });
}
