/**
 * TanStack Query keys, in one place so the live-updates hook patches exactly what pages read.
 * Lists are `{ version, items }`: `listKey(kind)` holds the unfiltered list of that kind.
 */
export type ListKind = "nodes" | "services" | "tasks";

export const queryKeys = {
  status: ["swarm", "status"] as const,
  me: ["auth", "me"] as const,
  swarm: ["swarm", "inspect"] as const,
  joinToken: (role: "worker" | "manager") => ["swarm", "joinToken", role] as const,
  list: (kind: ListKind) => ["list", kind] as const,
  allLists: ["list"] as const,
  stackRevisions: (name: string) => ["stacks", "revisions", name] as const,
  networks: ["networks", "list"] as const,
  network: (ref: string) => ["networks", "inspect", ref] as const,
  events: (kind: string) => ["history", "events", kind] as const,
  audit: (actor: string) => ["history", "audit", actor] as const,
};
