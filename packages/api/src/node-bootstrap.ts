import { UserName } from "@shoal/store";
import { z } from "zod";
import { Password } from "./auth/access-schemas.ts";

/**
 * What the node process tells the API about itself before (and after) it is in a swarm. The node
 * implements it; the API's `swarm.status`, `swarm.init` and `swarm.join` procedures call it.
 */
export interface NodeBootstrap {
  status(): NodeStatus;
  init(input: { advertiseAddr?: string }): Promise<{ nodeId: string; clusterId: string }>;
  join(input: SwarmJoinRequest): Promise<{ nodeId: string; role: "manager" | "worker" }>;
}

const HostPort = z
  .string()
  .regex(/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, "an address is host:port, e.g. 10.0.0.5:2377");

export const NodeStatus = z.object({
  swarm: z.enum(["active", "inactive"]),
  nodeId: z.string(),
  hostname: z.string(),
  role: z.enum(["manager", "worker", ""]),
  /** Whether this node runs the manager component now (and so serves the API). */
  isManager: z.boolean(),
  isLeader: z.boolean(),
  /** The address this node advertises (or would advertise) to other nodes. */
  advertiseAddr: z.string(),
  /** Managers this node knows of (a worker's dashboard points there). */
  managerAddrs: z.array(z.string()),
  /** Whether the first admin still has to be created (only known on a manager). */
  setupRequired: z.boolean(),
});
export type NodeStatus = z.infer<typeof NodeStatus>;

export const SwarmInitRequest = z.object({
  advertiseAddr: HostPort.optional(),
  /** The first admin, created in the same step (the dashboard's first run). */
  admin: z.object({ name: UserName, password: Password }).optional(),
});
export type SwarmInitRequest = z.infer<typeof SwarmInitRequest>;

export const SwarmJoinRequest = z.object({
  token: z.string().trim().min(1, "paste the join token from `shoal swarm join-token`"),
  remoteAddr: HostPort,
  advertiseAddr: HostPort.optional(),
});
export type SwarmJoinRequest = z.infer<typeof SwarmJoinRequest>;
