/**
 * Root CA rotation (`swarm ca --rotate`), the manager's side: the state lives in the cluster
 * object (`rootCa.rotation`), so every manager issues under the new root and the leader finishes
 * the rotation when it is complete.
 *
 * 1. `rotateRootCa` generates a root (or loads the operator's), cross-signs it with the old one and
 *    stores the rotation. From then on the CA server signs with the new key (leaves carry the
 *    cross-signed certificate) and answers `root_ca_pem` = old + new roots; the dispatcher sends
 *    that bundle on every session, and each node renews at once.
 * 2. Each certificate issued under the new root is recorded (`recordRootRotationRenewal`).
 * 3. `finishRootRotation`: once every node that is not down has renewed, the new root becomes the
 *    cluster's root, join tokens get the new digest (their secrets stay), and the rotation field is
 *    cleared. The dispatcher then sends the new root alone: nodes drop the old one.
 */
import {
  CaError,
  JOIN_TOKEN_DIGEST_CHARS,
  JOIN_TOKEN_PREFIX,
  JOIN_TOKEN_VERSION,
  loadRootCa,
  parseJoinToken,
  type RootCa,
  rootCaDigestHex,
  startRootRotation,
  trustBundleDuringRotation,
} from "@shoal/ca";
import type { Cluster, Node, RootRotation, WriteTx } from "@shoal/store";
import { z } from "zod";
import { type ControlContext, parseInput, write } from "../control/control-context.ts";
import { ControlError } from "../control/control-error.ts";

export const RotateRootCaInput = z.object({
  /** The operator's root (PEM certificate and key); absent = generate one. */
  rootCa: z.object({ certPem: z.string().min(1), keyPem: z.string().min(1) }).optional(),
});
export type RotateRootCaInput = z.input<typeof RotateRootCaInput>;

/** What `swarm.inspect` and `swarm ca --rotate` show of a rotation. */
export const RootRotationStatus = z.object({
  newCaCertPem: z.string(),
  startedAtMs: z.number(),
  /** Nodes (not down) that hold a certificate of the new root. */
  nodesRenewed: z.number().int(),
  /** Nodes that are not down: the rotation ends when all of them renewed. */
  nodesTotal: z.number().int(),
  pendingNodeIds: z.array(z.string()),
});
export type RootRotationStatus = z.infer<typeof RootRotationStatus>;

/** Starts a rotation. Refused while one is in progress. Returns its status. */
export async function rotateRootCa(ctx: ControlContext, input: unknown): Promise<RootRotationStatus> {
  const p = parseInput(RotateRootCaInput, input ?? {}, "root CA rotation");
  const before = ctx.store.view((v) => v.clusters.all()[0]);
  if (!before) throw new ControlError("failed-precondition", "the swarm has no cluster object yet");
  if (before.rootCa.rotation) throw rotationInProgress();
  const oldRoot: RootCa = { certPem: before.rootCa.caCertPem, keyPem: before.rootCa.caKeyPem };
  const rotation = await asControlError(async () => {
    const newRoot = p.rootCa ? loadRootCa(p.rootCa) : undefined;
    return startRootRotation(oldRoot, newRoot ? { newRoot } : {});
  });
  const stored: RootRotation = {
    newCaCertPem: rotation.newRoot.certPem,
    newCaKeyPem: rotation.newRoot.keyPem,
    newCaCertHash: rootCaDigestHex(rotation.newRoot.certPem),
    crossSignedPem: rotation.crossSignedPem,
    startedAtMs: ctx.clock.nowMs(),
    renewedNodeIds: [],
  };
  await write(ctx, "start the root CA rotation", (tx) => {
    const cluster = tx.clusters.all()[0];
    if (!cluster || cluster.rootCa.caCertPem !== before.rootCa.caCertPem) {
      throw new ControlError("failed-precondition", "the root CA changed meanwhile: try again");
    }
    if (cluster.rootCa.rotation) throw rotationInProgress();
    tx.update("cluster", { ...cluster, rootCa: { ...cluster.rootCa, rotation: stored } });
  });
  const status = ctx.store.view((v) => rootRotationStatus(v.clusters.all()[0], v.nodes.all()));
  if (!status) throw new ControlError("failed-precondition", "the rotation finished already");
  return status;
}

/** The rotation's progress; undefined when none is in progress. */
export function rootRotationStatus(
  cluster: Cluster | undefined,
  nodes: readonly Node[],
): RootRotationStatus | undefined {
  const rotation = cluster?.rootCa.rotation;
  if (!rotation) return undefined;
  const renewed = new Set(rotation.renewedNodeIds);
  const counted = nodes.filter((n) => n.status.state !== "down");
  const pending = counted.filter((n) => !renewed.has(n.id)).map((n) => n.id);
  return {
    newCaCertPem: rotation.newCaCertPem,
    startedAtMs: rotation.startedAtMs,
    nodesRenewed: counted.length - pending.length,
    nodesTotal: counted.length,
    pendingNodeIds: pending,
  };
}

/** The roots a node should trust now: old + new during a rotation, else the root. */
export function nodeTrustBundle(cluster: Cluster): string {
  const rotation = cluster.rootCa.rotation;
  return rotation
    ? trustBundleDuringRotation(cluster.rootCa.caCertPem, rotation.newCaCertPem)
    : cluster.rootCa.caCertPem;
}

export const RootRotationRenewal = z.object({
  nodeId: z.string().min(1),
  /** SHA-256 (hex) of the root the certificate was issued under. */
  caCertHash: z.string().min(1),
});

/** Records that `nodeId` received a certificate of the rotation's new root (idempotent). */
export function recordRootRotationRenewal(tx: WriteTx, input: z.input<typeof RootRotationRenewal>): void {
  const p = RootRotationRenewal.parse(input);
  const cluster = tx.clusters.all()[0];
  const rotation = cluster?.rootCa.rotation;
  if (!cluster || !rotation || rotation.newCaCertHash !== p.caCertHash) return;
  if (rotation.renewedNodeIds.includes(p.nodeId)) return;
  const renewedNodeIds = [...rotation.renewedNodeIds, p.nodeId];
  tx.update("cluster", {
    ...cluster,
    rootCa: { ...cluster.rootCa, rotation: { ...rotation, renewedNodeIds } },
  });
}

/**
 * Ends the rotation when every node that is not down holds a new-root certificate. Returns
 * whether it did. Join tokens keep their secrets and take the new root's digest.
 */
export function maybeFinishRootRotation(tx: WriteTx): boolean {
  const cluster = tx.clusters.all()[0];
  const status = rootRotationStatus(cluster, tx.nodes.all());
  const rotation = cluster?.rootCa.rotation;
  if (!cluster || !rotation || !status || status.pendingNodeIds.length > 0) return false;
  const { worker, manager } = cluster.rootCa.joinTokens;
  const digest = (token: string) => withDigest(token, rotation.newCaCertPem);
  tx.update("cluster", {
    ...cluster,
    rootCa: {
      caCertPem: rotation.newCaCertPem,
      caKeyPem: rotation.newCaKeyPem,
      caCertHash: rotation.newCaCertHash,
      joinTokens: { worker: digest(worker), manager: digest(manager) },
    },
  });
  return true;
}

/** `SWMTKN-1-<digest>-<secret>` with the digest of `rootPem` and the same secret. */
function withDigest(token: string, rootPem: string): string {
  const { secret } = parseJoinToken(token);
  const digest = BigInt(`0x${rootCaDigestHex(rootPem)}`)
    .toString(36)
    .padStart(JOIN_TOKEN_DIGEST_CHARS, "0");
  return `${JOIN_TOKEN_PREFIX}-${JOIN_TOKEN_VERSION}-${digest}-${secret}`;
}

function rotationInProgress(): ControlError {
  return new ControlError(
    "failed-precondition",
    "a root CA rotation is already in progress: wait for it (shoal swarm ca --rotate shows its progress)",
  );
}

async function asControlError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof CaError) throw new ControlError("invalid-argument", error.message);
    throw error;
  }
}
