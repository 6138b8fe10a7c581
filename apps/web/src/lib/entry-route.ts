"use client";
/**
 * Where this visitor belongs, from what the node says: a locked manager (autolock) → /unlock; no
 * swarm yet → /setup; a worker → /worker;
 * a manager without users → /create-admin; not logged in → /login; else the dashboard.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { shoalCode } from "./api-errors.ts";
import { useMe, useNodeStatus } from "./queries.ts";

export type EntryRoute = "/unlock" | "/setup" | "/worker" | "/create-admin" | "/login" | "dashboard";

export function useEntryRoute(): { route: EntryRoute | undefined; error: unknown } {
  const status = useNodeStatus();
  const s = status.data;
  const needsLogin = s !== undefined && s.swarm === "active" && s.isManager && !s.setupRequired;
  const me = useMe(needsLogin);
  if (status.error) return { route: undefined, error: status.error };
  if (s === undefined) return { route: undefined, error: undefined };
  if (s.swarm === "locked") return { route: "/unlock", error: undefined };
  if (s.swarm === "inactive") return { route: "/setup", error: undefined };
  if (!s.isManager) return { route: "/worker", error: undefined };
  if (s.setupRequired) return { route: "/create-admin", error: undefined };
  if (me.data) return { route: "dashboard", error: undefined };
  if (me.error) {
    const code = shoalCode(me.error);
    return code === "unauthenticated"
      ? { route: "/login", error: undefined }
      : { route: undefined, error: me.error };
  }
  return { route: undefined, error: undefined };
}

/** Sends the visitor on when they are somewhere they do not belong (`here` = this page's route). */
export function useRedirectUnless(here: EntryRoute): { route: EntryRoute | undefined; error: unknown } {
  const router = useRouter();
  const entry = useEntryRoute();
  useEffect(() => {
    if (entry.route === undefined || entry.route === here) return;
    router.replace(entry.route === "dashboard" ? "/swarm" : entry.route);
  }, [entry.route, here, router]);
  return entry;
}

/**
 * After the node or the session changed (a swarm made or joined, a login): drops every cached
 * query and goes to `path`.
 */
export function useReloadAndGo(): (path: string) => Promise<void> {
  const router = useRouter();
  const queryClient = useQueryClient();
  return async (path) => {
    await queryClient.invalidateQueries();
    router.replace(path);
  };
}
