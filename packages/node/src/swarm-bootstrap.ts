/**
 * What `swarm init` creates before the first manager starts: the root CA, the join tokens, the
 * cluster and node ids and the manager's certificate; and, once it leads, the cluster object and
 * its own Node object.
 */
import { randomBytes, randomInt } from "node:crypto";
import {
  createNodeCsr,
  createRootCa,
  generateJoinTokens,
  generateUnlockKey,
  issueNodeCertificate,
  type JoinTokens,
  loadRootCa,
  NodeRole,
  type RootCa,
  rootCaDigestHex,
} from "@shoal/ca";
import { createIdGenerator, DEFAULT_CLUSTER_SPEC, type Store } from "@shoal/store";
import {
  RAFT_ELECTION_TICK,
  RAFT_HEARTBEAT_TICK,
  RAFT_SNAPSHOT_EVERY_ENTRIES,
  RAFT_TICK_MS,
} from "./raft-timing.ts";

export interface SwarmSeed {
  readonly root: RootCa;
  readonly tokens: JoinTokens;
  readonly clusterId: string;
  readonly nodeId: string;
  readonly raftId: number;
  readonly certChainPem: string;
  readonly keyPem: string;
}

export const newObjectId = createIdGenerator((n) => new Uint8Array(randomBytes(n)));

export async function seedSwarm(rootCa?: { certPem: string; keyPem: string }): Promise<SwarmSeed> {
  const root = rootCa ? loadRootCa(rootCa) : await createRootCa();
  const clusterId = newObjectId();
  const nodeId = newObjectId();
  const { csrPem, keyPem } = await createNodeCsr();
  const cert = await issueNodeCertificate({ ca: root, csrPem, nodeId, role: NodeRole.Manager, clusterId });
  return {
    root,
    tokens: generateJoinTokens(root.certPem),
    clusterId,
    nodeId,
    raftId: randomInt(1, 2 ** 31),
    certChainPem: cert.certChainPem,
    keyPem,
  };
}

/** Writes the cluster object and the first manager's Node object (on the new leader). */
export async function writeInitialObjects(
  store: Store,
  seed: SwarmSeed,
  node: { hostname: string; advertiseAddr: string; autolock?: boolean | undefined },
): Promise<void> {
  await store.update((tx) => {
    if (tx.clusters.all().length > 0) return;
    tx.create("cluster", {
      id: seed.clusterId,
      spec: {
        ...DEFAULT_CLUSTER_SPEC,
        raft: {
          ...DEFAULT_CLUSTER_SPEC.raft,
          tickMs: RAFT_TICK_MS,
          electionTick: RAFT_ELECTION_TICK,
          heartbeatTick: RAFT_HEARTBEAT_TICK,
          snapshotIntervalEntries: RAFT_SNAPSHOT_EVERY_ENTRIES,
        },
        encryptionConfig: { autoLockManagers: node.autolock === true },
      },
      rootCa: {
        caCertPem: seed.root.certPem,
        caKeyPem: seed.root.keyPem,
        caCertHash: rootCaDigestHex(seed.root.certPem),
        joinTokens: seed.tokens,
      },
      unlockKeys: node.autolock ? [{ key: generateUnlockKey(), createdAtMs: Date.now() }] : [],
    });
    tx.create("node", {
      id: seed.nodeId,
      spec: { labels: {}, role: "manager", availability: "active" },
      description: {
        hostname: node.hostname,
        platform: { os: "", arch: "" },
        resources: { nanoCpus: 0, memoryBytes: 0 },
        engine: { version: "", labels: {} },
      },
      status: { state: "unknown", message: "initialised the swarm", addr: hostOf(node.advertiseAddr) },
      managerStatus: {
        raftId: seed.raftId,
        addr: node.advertiseAddr,
        leader: true,
        reachability: "reachable",
      },
      role: "manager",
    });
  });
}

function hostOf(addr: string): string {
  const i = addr.lastIndexOf(":");
  return i > 0 ? addr.slice(0, i) : addr;
}
