import type { Cluster, Node } from "@shoal/store";
import { ClusterSpec, Count, Labels } from "@shoal/store";
import { z } from "zod";
import { type RootRotationStatus, rootRotationStatus } from "../ca-server/root-rotation.ts";
import { type ControlContext, checkVersion, parseInput, write } from "./control-context.ts";
import { theCluster } from "./the-cluster.ts";
import { unlockKeysFor } from "./unlock-key.ts";

export { theCluster };

/**
 * The cluster as the API shows it: the CA keys and the unlock keys are never returned; a root CA
 * rotation shows as its progress.
 */
export type ClusterView = Omit<Cluster, "rootCa" | "unlockKeys"> & {
  rootCa: Omit<Cluster["rootCa"], "caKeyPem" | "rotation"> & { rotation?: RootRotationStatus };
};

export const UpdateClusterInput = z.object({
  version: Count.optional(),
  labels: Labels.optional(),
  taskHistoryRetentionLimit: Count.optional(),
  heartbeatPeriodMs: z.number().int().min(1).optional(),
  nodeCertExpiryMs: z.number().int().min(1).optional(),
  snapshotIntervalEntries: z.number().int().min(1).optional(),
  autoLockManagers: z.boolean().optional(),
  /**
   * Rebalancing for services without their own setting (the store's schema: "auto" | "off");
   * null clears it (absent = "off").
   */
  rebalance: ClusterSpec.shape.orchestration.shape.rebalance.nullable(),
});
export type UpdateClusterInput = z.input<typeof UpdateClusterInput>;

export async function inspectCluster(ctx: ControlContext): Promise<ClusterView> {
  return ctx.store.view((v) => redact(theCluster(v.clusters.all()), v.nodes.all()));
}

/** Changes cluster settings (`swarm update`); fields left out stay as they are. */
export async function updateCluster(ctx: ControlContext, input: UpdateClusterInput): Promise<ClusterView> {
  const p = parseInput(UpdateClusterInput, input, "cluster update");
  await write(ctx, "update cluster", (tx) => {
    const cluster = theCluster(tx.clusters.all());
    checkVersion("cluster", cluster.spec.name, cluster.version, p.version);
    const s = cluster.spec;
    // Every section starts from the stored one, so settings this input does not name are kept.
    const { rebalance: _rebalance, ...orchestration } = s.orchestration;
    const rebalance = p.rebalance === undefined ? s.orchestration.rebalance : p.rebalance;
    const spec = ClusterSpec.parse({
      ...s,
      labels: p.labels ?? s.labels,
      orchestration: {
        ...orchestration,
        taskHistoryRetentionLimit: p.taskHistoryRetentionLimit ?? s.orchestration.taskHistoryRetentionLimit,
        ...(rebalance == null ? {} : { rebalance }),
      },
      dispatcher: {
        ...s.dispatcher,
        heartbeatPeriodMs: p.heartbeatPeriodMs ?? s.dispatcher.heartbeatPeriodMs,
      },
      caConfig: { ...s.caConfig, nodeCertExpiryMs: p.nodeCertExpiryMs ?? s.caConfig.nodeCertExpiryMs },
      raft: {
        ...s.raft,
        snapshotIntervalEntries: p.snapshotIntervalEntries ?? s.raft.snapshotIntervalEntries,
      },
      encryptionConfig: {
        ...s.encryptionConfig,
        autoLockManagers: p.autoLockManagers ?? s.encryptionConfig.autoLockManagers,
      },
    });
    tx.update("cluster", { ...cluster, spec, unlockKeys: unlockKeysFor(cluster, spec, ctx.clock.nowMs()) });
  });
  return inspectCluster(ctx);
}

function redact(cluster: Cluster, nodes: readonly Node[]): ClusterView {
  const { unlockKeys: _keys, rootCa, ...rest } = cluster;
  const { caKeyPem: _key, rotation: _rotation, ...publicCa } = rootCa;
  const rotation = rootRotationStatus(cluster, nodes);
  return { ...rest, rootCa: rotation ? { ...publicCa, rotation } : publicCa };
}
