import { z } from "zod";
import { Count, Labels, ObjectMeta, ObjectName, Platform, Resources } from "./common.ts";

export const NodeRole = z.enum(["worker", "manager"]);
export type NodeRole = z.infer<typeof NodeRole>;

/** active: takes new tasks; pause: keeps its tasks, takes no new ones; drain: moves its tasks away. */
export const NodeAvailability = z.enum(["active", "pause", "drain"]);
export type NodeAvailability = z.infer<typeof NodeAvailability>;

export const NodeState = z.enum(["unknown", "down", "ready", "disconnected"]);
export type NodeState = z.infer<typeof NodeState>;

export const Reachability = z.enum(["unknown", "unreachable", "reachable"]);
export type Reachability = z.infer<typeof Reachability>;

/** What an operator sets (`node update`). */
export const NodeSpec = z.object({
  name: ObjectName.optional(),
  labels: Labels,
  /** The role the operator wants; the node's certificate role follows it. */
  role: NodeRole,
  availability: NodeAvailability,
});
export type NodeSpec = z.infer<typeof NodeSpec>;

/** What the agent reports about its machine. */
export const NodeDescription = z.object({
  hostname: z.string(),
  platform: Platform,
  resources: Resources,
  engine: z.object({ version: z.string(), labels: Labels }),
});
export type NodeDescription = z.infer<typeof NodeDescription>;

export const NodeStatus = z.object({
  state: NodeState,
  message: z.string(),
  /** The address the node's session comes from (used for `node.ip` constraints). */
  addr: z.string(),
});
export type NodeStatus = z.infer<typeof NodeStatus>;

export const ManagerStatus = z.object({
  raftId: Count,
  /** The address other managers reach this one on (host:port). */
  addr: z.string(),
  leader: z.boolean(),
  reachability: Reachability,
});
export type ManagerStatus = z.infer<typeof ManagerStatus>;

export const Node = z.object({
  ...ObjectMeta,
  spec: NodeSpec,
  description: NodeDescription.optional(),
  status: NodeStatus,
  managerStatus: ManagerStatus.optional(),
  /** The role of the node's current certificate (spec.role is the desired one). */
  role: NodeRole,
  /**
   * The node's slot among the addresses every overlay network keeps for nodes (its own address on
   * a network, the containers' gateway and DNS server there, is broadcast − 1 − this index). Given
   * by the manager's allocator when the node joins, kept while the node exists, freed when it is
   * removed; absent until then.
   */
  networkAddressIndex: Count.optional(),
});
export type Node = z.infer<typeof Node>;
