import { z } from "zod";
import { deepFreeze } from "../deep-freeze.ts";
import { Count, Labels, Milliseconds, ObjectMeta, ObjectName } from "./common.ts";
import { RebalanceMode } from "./service.ts";

/** Removed node ids the cluster object remembers; the oldest are forgotten past this. */
export const REMOVED_NODES_MAX = 10_000;

/** The one cluster object's name. */
export const DEFAULT_CLUSTER_NAME = "default";

export const RaftSettings = z.object({
  /** Entries between snapshots. */
  snapshotIntervalEntries: z.number().int().min(1),
  keepOldSnapshots: Count,
  /** Entries kept after a snapshot for slow followers. */
  logEntriesForSlowFollowers: Count,
  heartbeatTick: z.number().int().min(1),
  electionTick: z.number().int().min(2),
  tickMs: z.number().int().min(1),
});
export type RaftSettings = z.infer<typeof RaftSettings>;

export const ClusterSpec = z.object({
  name: ObjectName,
  labels: Labels,
  orchestration: z.object({
    /** Old tasks kept per slot (or per node for global services). */
    taskHistoryRetentionLimit: Count,
    /** Services without their own `rebalance` setting follow this one; absent = "off". */
    rebalance: RebalanceMode.optional(),
  }),
  raft: RaftSettings,
  dispatcher: z.object({
    heartbeatPeriodMs: z.number().int().min(1),
    /** A node is DOWN after this many heartbeat periods without one; absent = the dispatcher's default. */
    heartbeatGraceMultiplier: z.number().min(1).max(100).optional(),
  }),
  caConfig: z.object({ nodeCertExpiryMs: z.number().int().min(1) }),
  encryptionConfig: z.object({ autoLockManagers: z.boolean() }),
  /** Subnets that overlay networks are cut from, and the prefix length of each. */
  defaultAddressPool: z.array(z.string()),
  subnetSize: z.number().int().min(8).max(30),
});
export type ClusterSpec = z.infer<typeof ClusterSpec>;

export const DEFAULT_CLUSTER_SPEC: ClusterSpec = deepFreeze({
  name: DEFAULT_CLUSTER_NAME,
  labels: {},
  orchestration: { taskHistoryRetentionLimit: 5 },
  raft: {
    snapshotIntervalEntries: 10_000,
    keepOldSnapshots: 0,
    logEntriesForSlowFollowers: 500,
    heartbeatTick: 1,
    electionTick: 10,
    // Shoal detects failures faster than swarm (1 s ticks, 5 s heartbeats): elections in ~1-2 s,
    // a lost node DOWN within ~3 s.
    tickMs: 100,
  },
  dispatcher: { heartbeatPeriodMs: 1_000 },
  caConfig: { nodeCertExpiryMs: 90 * 24 * 3600 * 1_000 },
  encryptionConfig: { autoLockManagers: false },
  defaultAddressPool: ["10.0.0.0/8"],
  subnetSize: 24,
});

export const JoinTokens = z.object({
  /** SWMTKN-1-<digest>-<secret> */
  worker: z.string(),
  manager: z.string(),
});
export type JoinTokens = z.infer<typeof JoinTokens>;

/**
 * A root CA rotation in progress (`swarm ca --rotate`): nodes renew under the new root (leaves
 * carry the cross-signed certificate) while every node trusts both roots; when every node that is
 * not down holds a new-root certificate, the new root replaces `caCertPem`/`caKeyPem` and this
 * field is cleared.
 */
export const RootRotation = z.object({
  newCaCertPem: z.string(),
  newCaKeyPem: z.string(),
  /** SHA-256 of newCaCertPem, hex. */
  newCaCertHash: z.string(),
  /** The new root signed by the old one. */
  crossSignedPem: z.string(),
  startedAtMs: Milliseconds,
  /** Nodes that received a certificate of the new root (ids, each once). */
  renewedNodeIds: z.array(z.string().min(1)),
});
export type RootRotation = z.infer<typeof RootRotation>;

export const RootCa = z.object({
  caCertPem: z.string(),
  /** PEM; kept in the replicated store like swarm's (encrypted at rest with the Raft log). */
  caKeyPem: z.string(),
  /** SHA-256 of caCertPem, hex. */
  caCertHash: z.string(),
  joinTokens: JoinTokens,
  /** Absent = no rotation in progress. */
  rotation: RootRotation.optional(),
});
export type RootCa = z.infer<typeof RootCa>;

export const Cluster = z.object({
  ...ObjectMeta,
  spec: ClusterSpec,
  rootCa: RootCa,
  /** SWMKEY-1-... keys that unlock managers when autolock is on. */
  unlockKeys: z.array(z.object({ key: z.string(), createdAtMs: Milliseconds })),
  /**
   * Ids of nodes removed from the swarm, oldest first (at most REMOVED_NODES_MAX): managers
   * refuse their certificates, also after a restart. Absent = none removed yet.
   */
  removedNodes: z.array(z.string().min(1)).max(REMOVED_NODES_MAX).optional(),
});
export type Cluster = z.infer<typeof Cluster>;
