import { nodeMatchesConstraints } from "./constraint.ts";
import type { NodeInfo } from "./node-info.ts";
import type { TaskGroup } from "./task-group.ts";

/**
 * One scheduling filter: whether a node can take one more task of the group, and how to say why
 * nodes could not ("<n> nodes <reason>"). `dynamic` filters depend on what the node already runs,
 * so they are checked again after each task placed on the node.
 */
export interface Filter {
  readonly name: string;
  readonly dynamic: boolean;
  /** Whether the filter has anything to check for this group. */
  isEnabled(group: TaskGroup): boolean;
  check(node: NodeInfo, group: TaskGroup): boolean;
  /** The reason, after the node count: "not available for new tasks". */
  readonly reason: string;
}

export const readyFilter: Filter = {
  name: "ready",
  dynamic: false,
  reason: "not available for new tasks",
  isEnabled: () => true,
  check: (n) => n.node.status.state === "ready" && n.node.spec.availability === "active",
};

export const resourceFilter: Filter = {
  name: "resources",
  dynamic: true,
  reason: "insufficient resources",
  isEnabled: (g) => g.nanoCpus > 0 || g.memoryBytes > 0,
  check: (n, g) => n.availableNanoCpus >= g.nanoCpus && n.availableMemoryBytes >= g.memoryBytes,
};

export const constraintFilter: Filter = {
  name: "constraints",
  dynamic: false,
  reason: "scheduling constraints not satisfied",
  isEnabled: (g) => (g.placement?.constraints.length ?? 0) > 0,
  check: (n, g) => nodeMatchesConstraints(n.node, g.placement?.constraints ?? []),
};

export const hostPortFilter: Filter = {
  name: "host-ports",
  dynamic: true,
  reason: "host-mode port already in use",
  isEnabled: (g) => g.hostPorts.length > 0,
  check: (n, g) => g.hostPorts.every((p) => !n.hostPorts.has(p)),
};

export const maxReplicasFilter: Filter = {
  name: "max-replicas",
  dynamic: true,
  reason: "max replicas per node reached",
  isEnabled: (g) => (g.placement?.maxReplicas ?? 0) > 0,
  check: (n, g) => n.serviceTasks(g.serviceId) < (g.placement?.maxReplicas ?? 0),
};

/** Swarm's order. */
export const DEFAULT_FILTERS: readonly Filter[] = Object.freeze([
  readyFilter,
  resourceFilter,
  constraintFilter,
  hostPortFilter,
  maxReplicasFilter,
]);
