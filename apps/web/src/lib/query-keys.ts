/**
 * TanStack Query keys, in one place so the live-updates hook patches exactly what pages read.
 * Lists are `{ version, items }`: `list(kind)` holds the unfiltered list of that kind; keys below
 * it (`serviceTasks`) hold filtered lists that the same deltas patch, filtered by the key.
 */
export type ListKind = "nodes" | "services" | "tasks";

export const queryKeys = {
  status: ["swarm", "status"] as const,
  me: ["auth", "me"] as const,
  swarm: ["swarm", "inspect"] as const,
  joinToken: (role: "worker" | "manager") => ["swarm", "joinToken", role] as const,
  list: (kind: ListKind) => ["list", kind] as const,
  /** One service's tasks: a list under `list("tasks")`, patched with the deltas of that service. */
  serviceTasks: (serviceId: string) => ["list", "tasks", { serviceId }] as const,
  allLists: ["list"] as const,
  stackRevisions: (name: string) => ["stacks", "revisions", name] as const,
  /** Every network query (the list and each network): refetched on deltas that change members. */
  allNetworks: ["networks"] as const,
  networks: ["networks", "list"] as const,
  network: (ref: string) => ["networks", "inspect", ref] as const,
  events: (kind: string) => ["history", "events", kind] as const,
  audit: (actor: string) => ["history", "audit", actor] as const,
};
