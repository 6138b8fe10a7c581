import type { X509Certificate } from "node:crypto";
import { verifyCertificateChain } from "./chain-verify.ts";
import { CaError } from "./errors.ts";
import { isNodeRole, isValidId, type NodeRole } from "./node-role.ts";
import { x509 } from "./x509.ts";

/** Who is on the other end of a mutual-TLS connection, read from its verified certificate. */
export interface PeerIdentity {
  readonly nodeId: string;
  readonly role: NodeRole;
  readonly clusterId: string;
}

export interface VerifyPeerOptions {
  /** Roles that may use this connection (a Raft port admits managers only). */
  readonly allowedRoles: readonly NodeRole[];
  /** True for a node removed from the swarm: its still-valid certificate is refused. */
  readonly isRemoved: (nodeId: string) => boolean;
  /** When given, the certificate's O must equal it. */
  readonly clusterId?: string;
  readonly now?: Date;
}

export type VerifyPeerResult =
  | { readonly ok: true; readonly peer: PeerIdentity }
  | { readonly ok: false; readonly error: CaError };

/**
 * Checks a peer's certificate chain (leaf first, PEM) against the trust bundle, then its identity
 * against the caller's policy. Refusals come back as a CaError with code PEER_UNTRUSTED,
 * PEER_MALFORMED, PEER_WRONG_CLUSTER, PEER_ROLE_NOT_ALLOWED or PEER_REMOVED. Synchronous.
 */
export function verifyPeerCertificate(
  certPem: string,
  trustBundlePem: string,
  options: VerifyPeerOptions,
): VerifyPeerResult {
  try {
    const leaf = verifyCertificateChain(certPem, trustBundlePem, options.now ?? new Date());
    const peer = readPeerIdentity(leaf);
    if (options.clusterId !== undefined && peer.clusterId !== options.clusterId) {
      throw new CaError(
        "PEER_WRONG_CLUSTER",
        `peer ${peer.nodeId} belongs to cluster ${peer.clusterId}, not ${options.clusterId}`,
      );
    }
    if (!options.allowedRoles.includes(peer.role)) {
      throw new CaError(
        "PEER_ROLE_NOT_ALLOWED",
        `peer ${peer.nodeId} is a ${peer.role}; this connection admits ${options.allowedRoles.join(", ") || "no role"}`,
      );
    }
    if (options.isRemoved(peer.nodeId)) {
      throw new CaError(
        "PEER_REMOVED",
        `node ${peer.nodeId} has been removed from the swarm; it must join again with a token`,
      );
    }
    return { ok: true, peer };
  } catch (err) {
    if (err instanceof CaError) return { ok: false, error: err };
    return {
      ok: false,
      error: new CaError("PEER_MALFORMED", `peer certificate unreadable: ${String(err)}`, { cause: err }),
    };
  }
}

/** Node ID (CN), role (OU) and cluster ID (O) of a node certificate; each must appear once. */
export function readPeerIdentity(cert: X509Certificate): PeerIdentity {
  const name = new x509.X509Certificate(cert.raw).subjectName;
  const nodeId = single(name, "CN");
  const role = single(name, "OU");
  const clusterId = single(name, "O");
  if (!isValidId(nodeId)) throw malformed(`node ID ${JSON.stringify(nodeId)} is not valid`);
  if (!isNodeRole(role)) throw malformed(`role ${JSON.stringify(role)} is not swarm-manager or swarm-worker`);
  if (!isValidId(clusterId)) throw malformed(`cluster ID ${JSON.stringify(clusterId)} is not valid`);
  return { nodeId, role, clusterId };
}

function single(name: x509.Name, field: string): string {
  const values = name.getField(field);
  if (values.length !== 1) throw malformed(`expected one ${field} in the subject, found ${values.length}`);
  return values[0]!;
}

function malformed(reason: string): CaError {
  return new CaError("PEER_MALFORMED", `peer certificate refused: ${reason}`);
}
