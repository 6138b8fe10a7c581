import { UserName } from "@shoal/store";
import { z } from "zod";
import { Password } from "./auth/access-schemas.ts";

/**
 * What the node process tells the API about itself before (and after) it is in a swarm, and the
 * changes only this node can make to itself. The node implements it; the API's `swarm.status`,
 * `swarm.init`, `swarm.join` and `swarm.leave` procedures call it. None of them needs the leader:
 * `init` with `forceNewCluster` and `leave` work on a manager that has lost quorum.
 */
export interface NodeBootstrap {
  status(): NodeStatus;
  /** A manager restarted under autolock, waiting for swarm.unlock (asked on every request). */
  isLocked(): boolean;
  init(input: {
    advertiseAddr?: string;
    forceNewCluster?: boolean;
    autolock?: boolean;
  }): Promise<{ nodeId: string; clusterId: string; unlockKey?: string }>;
  join(input: SwarmJoinRequest): Promise<{ nodeId: string; role: "manager" | "worker" }>;
  /** Leaves the swarm; a manager is refused without `force` (the swarm may lose quorum). */
  leave(input: { force: boolean }): Promise<void>;
  /** `swarm unlock`: a locked manager (autolock) opens its keys with the unlock key and resumes. */
  unlock(input: SwarmUnlockRequest): Promise<void>;
}

const HostPort = z
  .string()
  .regex(/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, "an address is host:port, e.g. 10.0.0.5:2377");

export const NodeStatus = z.object({
  /** "locked": a manager restarted under autolock, waiting for swarm.unlock. */
  swarm: z.enum(["active", "inactive", "locked"]),
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
  /**
   * `swarm init --force-new-cluster`: a manager that lost quorum starts a one-manager swarm from
   * its own state (an admin's credentials are needed once the swarm has users).
   */
  forceNewCluster: z.boolean().optional(),
  /** `swarm init --autolock`: managers need the unlock key (shown once, in the answer) after a restart. */
  autolock: z.boolean().optional(),
});
export type SwarmInitRequest = z.infer<typeof SwarmInitRequest>;

export const SwarmJoinRequest = z.object({
  token: z.string().trim().min(1, "paste the join token from `shoal swarm join-token`"),
  remoteAddr: HostPort,
  advertiseAddr: HostPort.optional(),
});
export type SwarmJoinRequest = z.infer<typeof SwarmJoinRequest>;

export const SwarmLeaveRequest = z.object({ force: z.boolean().default(false) }).prefault({});
export type SwarmLeaveRequest = z.input<typeof SwarmLeaveRequest>;

export const SwarmUnlockRequest = z.object({
  key: z.string().trim().min(1, "give the unlock key (SWMKEY-1-...) from `shoal swarm unlock-key`"),
});
export type SwarmUnlockRequest = z.infer<typeof SwarmUnlockRequest>;
