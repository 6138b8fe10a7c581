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

/** The full lists, patched in place by the live-updates hook: they never go stale. */
export function useNodes() {
  return useQuery({
    queryKey: queryKeys.list("nodes"),
    queryFn: () => api.nodes.list.query({}),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useServices() {
  return useQuery({
    queryKey: queryKeys.list("services"),
    queryFn: () => api.services.list.query({}),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useTasks() {
  return useQuery({
    queryKey: queryKeys.list("tasks"),
    queryFn: () => api.tasks.list.query({}),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
