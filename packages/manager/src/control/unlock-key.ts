/**
 * Autolock's unlock key in the cluster object. `unlockKeys[0]` is the key managers encrypt their
 * TLS key and Raft data key with; a rotation keeps the one before it as `unlockKeys[1]`, so a
 * manager that was stopped while the key rotated can still be unlocked with the old key (it
 * re-encrypts with the new one as soon as it runs). Switching autolock on makes a key, switching
 * it off drops them all.
 */
import { generateUnlockKey } from "@shoal/ca";
import type { Cluster, ClusterSpec, ReadView } from "@shoal/store";
import { type ControlContext, write } from "./control-context.ts";
import { ControlError } from "./control-error.ts";
import { theCluster } from "./the-cluster.ts";

/** Current first, at most one previous. */
const KEPT_KEYS = 2;

/** The unlock keys a cluster should hold once its spec is `spec`. */
export function unlockKeysFor(cluster: Cluster, spec: ClusterSpec, nowMs: number): Cluster["unlockKeys"] {
  if (!spec.encryptionConfig.autoLockManagers) return [];
  if (cluster.unlockKeys.length > 0) return cluster.unlockKeys;
  return [{ key: generateUnlockKey(), createdAtMs: nowMs }];
}

/** `swarm unlock-key`: the key that unlocks managers now. */
export function readUnlockKey(v: ReadView): { unlockKey: string } {
  const cluster = theCluster(v.clusters.all());
  const current = cluster.unlockKeys[0];
  if (!cluster.spec.encryptionConfig.autoLockManagers || current === undefined) {
    throw new ControlError(
      "failed-precondition",
      "no unlock key is set: autolock is off (turn it on with shoal swarm update --autolock=true)",
    );
  }
  return { unlockKey: current.key };
}

/** `swarm unlock-key --rotate`: a new key; the previous one keeps working until managers re-encrypt. */
export async function rotateUnlockKey(ctx: ControlContext): Promise<{ unlockKey: string }> {
  const key = await write(ctx, "rotate the unlock key", (tx) => {
    const cluster = theCluster(tx.clusters.all());
    if (!cluster.spec.encryptionConfig.autoLockManagers) {
      throw new ControlError(
        "failed-precondition",
        "cannot rotate the unlock key because autolock is not turned on (shoal swarm update --autolock=true)",
      );
    }
    const next = { key: generateUnlockKey(), createdAtMs: ctx.clock.nowMs() };
    tx.update("cluster", { ...cluster, unlockKeys: [next, ...cluster.unlockKeys].slice(0, KEPT_KEYS) });
    return next.key;
  });
  return { unlockKey: key };
}
