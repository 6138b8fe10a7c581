/**
 * The manager's side of rpc's CA service, over the replicated store.
 *
 * Where the root key lives: the cluster object holds the root CA certificate *and its key*
 * (`cluster.rootCa.caKeyPem`), as swarm does. The store is replicated to managers only — workers
 * never receive it — so every manager can issue and renew without a separate key distribution,
 * and whoever leads signs. The key is therefore as safe as the Raft log and snapshots on managers'
 * disks (encrypt them at rest; autolock protects that key with the unlock key).
 *
 * Joining: the presented token is compared in constant time against both of the cluster's join
 * tokens (`matchJoinToken`) and decides the role: a manager certificate only for the manager
 * token. The node id comes from the store's id generator, never from the request, and the Node
 * object is created (state UNKNOWN until its first session) before the certificate is returned.
 * Writes need the leader: on a follower, issuing answers UNAVAILABLE and the agent tries another
 * manager.
 *
 * Renewal: the identity is the caller's current certificate; the role is the node's desired role
 * (`spec.role`), so a promotion or demotion takes effect at the node's next renewal, and the Node
 * object's `role` then follows the certificate. A removed node (no Node object) is refused.
 */
import {
  CaError,
  issueNodeCertificate,
  matchJoinToken,
  NODE_CERT_VALIDITY_MS_MAX,
  NODE_CERT_VALIDITY_MS_MIN,
  type SigningCa,
} from "@shoal/ca";
import type {
  CaHandlers,
  CallContext,
  GetRootCaCertificateResponse,
  IssueNodeCertificateRequest,
  IssueNodeCertificateResponse,
  NodeCallContext,
  NodeCertificateStatusResponse,
  RenewNodeCertificateRequest,
  RenewNodeCertificateResponse,
} from "@shoal/rpc";
import { RpcError } from "@shoal/rpc";
import { type Cluster, type Node, type Store, StoreError } from "@shoal/store";
import { hostOfPeer } from "../dispatcher/wire-node.ts";
import { certRoleOf, storeRoleOf } from "./node-roles.ts";
import { nodeTrustBundle, recordRootRotationRenewal } from "./root-rotation.ts";

/** During a rotation the new key signs, and leaves carry the cross-signed new root. */
function signingCa(cluster: Cluster): SigningCa {
  const rotation = cluster.rootCa.rotation;
  if (!rotation) return { certPem: cluster.rootCa.caCertPem, keyPem: cluster.rootCa.caKeyPem };
  return {
    certPem: rotation.newCaCertPem,
    keyPem: rotation.newCaKeyPem,
    intermediatesPem: rotation.crossSignedPem,
  };
}

/** A Node object as the CA server creates it for a joining node. */
export type NewNode = Omit<Node, "version" | "createdAtMs" | "updatedAtMs">;

export interface CaServerOptions {
  /** Wall time for certificate validity (defaults to Date.now). */
  readonly nowMs?: () => number;
  /**
   * Creates the joining node's object. Default: a store write, which only the leader can make; a
   * node daemon that forwards writes to the leader passes its forwarding call here instead.
   */
  readonly createNode?: (node: NewNode) => Promise<void>;
  /**
   * Records that a node received a certificate of a rotation's new root. Default: a store write
   * (leader only); a node daemon forwards it to the leader instead.
   */
  readonly recordRenewal?: (renewal: { nodeId: string; caCertHash: string }) => Promise<void>;
}

export class CaServer implements CaHandlers {
  private readonly nowMs: () => number;
  private readonly createNode: (node: NewNode) => Promise<void>;
  private readonly recordRenewal: (renewal: { nodeId: string; caCertHash: string }) => Promise<void>;

  constructor(
    private readonly store: Store,
    options: CaServerOptions = {},
  ) {
    this.nowMs = options.nowMs ?? Date.now;
    this.createNode =
      options.createNode ??
      ((node) =>
        this.write(async (store) => {
          await store.update((tx) => tx.create("node", node), { actor: `node:${node.id}` });
        }));
    this.recordRenewal =
      options.recordRenewal ??
      ((renewal) =>
        this.write(async (store) => {
          await store.update((tx) => recordRootRotationRenewal(tx, renewal), {
            actor: `node:${renewal.nodeId}`,
          });
        }));
  }

  async getRootCaCertificate(): Promise<GetRootCaCertificateResponse> {
    return { certificate_pem: this.cluster().rootCa.caCertPem };
  }

  async issueNodeCertificate(
    request: IssueNodeCertificateRequest,
    context: CallContext,
  ): Promise<IssueNodeCertificateResponse> {
    const cluster = this.cluster();
    const certRole = matchJoinToken(request.token, cluster.rootCa.joinTokens);
    if (certRole === undefined) {
      throw new CaError(
        "INVALID_JOIN_TOKEN",
        "the join token is not valid for this swarm (rotated or mistyped): ask a manager for `swarm join-token worker` or `manager`",
      );
    }
    const nodeId = this.store.newId();
    const issued = await this.issue(cluster, request.csr_pem, nodeId, certRole);
    const role = storeRoleOf(certRole);
    const { hostname, advertise_addr: advertised, availability } = request.hints;
    const node: NewNode = {
      id: nodeId,
      spec: { labels: {}, role, availability: availability === "" ? "active" : availability },
      status: {
        state: "unknown",
        message: `joined${hostname ? ` as ${hostname}` : ""}; waiting for the node's first session`,
        addr: advertised ? hostOfPeer(advertised) : hostOfPeer(context.remote),
      },
      role,
    };
    await this.createNode(node);
    await this.maybeRecordRenewal(cluster, nodeId);
    return {
      certificate_chain_pem: issued,
      node_id: nodeId,
      role: certRole,
      root_ca_pem: nodeTrustBundle(cluster),
    };
  }

  async nodeCertificateStatus(context: NodeCallContext): Promise<NodeCertificateStatusResponse> {
    const node = this.node(context.peer.nodeId);
    const desired = certRoleOf(node.spec.role);
    const renew = desired !== context.peer.role;
    return {
      state: "issued",
      // Issued certificates are not kept: a node holds its own and renews to get a new one.
      certificate_chain_pem: "",
      role: desired,
      message: renew ? `the node's role is now ${desired}: renew the certificate to take it` : "",
    };
  }

  async renewNodeCertificate(
    request: RenewNodeCertificateRequest,
    context: NodeCallContext,
  ): Promise<RenewNodeCertificateResponse> {
    const cluster = this.cluster();
    const node = this.node(context.peer.nodeId);
    const certRole = certRoleOf(node.spec.role);
    const issued = await this.issue(cluster, request.csr_pem, node.id, certRole);
    if (node.role !== node.spec.role) {
      await this.write((store) =>
        store.update(
          (tx) => {
            const current = tx.nodes.get(node.id);
            if (current && current.role !== current.spec.role)
              tx.update("node", { ...current, role: current.spec.role });
          },
          { actor: `node:${node.id}` },
        ),
      );
    }
    await this.maybeRecordRenewal(cluster, node.id);
    return { certificate_chain_pem: issued, role: certRole, root_ca_pem: nodeTrustBundle(cluster) };
  }

  /** During a rotation, the leader learns that `nodeId` now holds a new-root certificate. */
  private async maybeRecordRenewal(cluster: Cluster, nodeId: string): Promise<void> {
    const rotation = cluster.rootCa.rotation;
    if (rotation) await this.recordRenewal({ nodeId, caCertHash: rotation.newCaCertHash });
  }

  private async issue(cluster: Cluster, csrPem: string, nodeId: string, role: ReturnType<typeof certRoleOf>) {
    const validityMs = Math.min(
      NODE_CERT_VALIDITY_MS_MAX,
      Math.max(NODE_CERT_VALIDITY_MS_MIN, cluster.spec.caConfig.nodeCertExpiryMs),
    );
    const issued = await issueNodeCertificate({
      ca: signingCa(cluster),
      csrPem,
      nodeId,
      role,
      clusterId: cluster.id,
      validityMs,
      now: new Date(this.nowMs()),
    });
    return issued.certChainPem;
  }

  private cluster(): Cluster {
    const cluster = this.store.view((v) => v.clusters.all()[0]);
    if (!cluster) {
      throw new RpcError(
        "FAILED_PRECONDITION",
        "this manager holds no swarm yet: run `swarm init` or wait for it to catch up",
      );
    }
    return cluster;
  }

  private node(nodeId: string): Node {
    const node = this.store.view((v) => v.nodes.get(nodeId));
    if (!node) {
      throw new CaError(
        "PEER_REMOVED",
        `node ${nodeId} has been removed from the swarm; join again with a join token`,
      );
    }
    return node;
  }

  /** Store writes; a manager that cannot write (a follower) answers UNAVAILABLE. */
  private async write<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    try {
      return await fn(this.store);
    } catch (err) {
      if (!(err instanceof StoreError) || err.code === "not-writable" || err.code === "proposal-failed") {
        throw new RpcError(
          "UNAVAILABLE",
          "this manager cannot write to the swarm's state now (not the leader): try another manager",
          {
            cause: err,
          },
        );
      }
      throw err;
    }
  }
}
