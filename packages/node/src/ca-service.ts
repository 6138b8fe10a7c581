/**
 * The CA service every manager serves (rpc's CaHandlers), over the replicated store: the root
 * certificate and the CA key live in the cluster object; join tokens are matched in constant
 * time; the node object of a joining node is created on the leader (through `control`), and the
 * certificate is issued here with the node id the leader assigned. A renewal issues the role the
 * node should hold: manager once promoted; worker once the role manager has taken it out of Raft.
 */
import { issueNodeCertificate, matchJoinToken, NodeRole } from "@shoal/ca";
import { type CaHandlers, RpcError } from "@shoal/rpc";
import type { Cluster, Node, Store } from "@shoal/store";

export type StoreRole = "manager" | "worker";

export function toCertRole(role: StoreRole): NodeRole {
  return role === "manager" ? NodeRole.Manager : NodeRole.Worker;
}

export function fromCertRole(role: NodeRole): StoreRole {
  return role === NodeRole.Manager ? "manager" : "worker";
}

/** The role a node's next certificate carries. */
export function certificateRoleFor(node: Node): StoreRole {
  return node.spec.role === "manager" ? "manager" : node.role;
}

export interface CaServiceDeps {
  readonly store: () => Store | undefined;
  readonly clusterId: string;
  /** Runs a procedure on the leader (locally or forwarded). */
  readonly control: (procedure: string, input: unknown) => Promise<unknown>;
}

export function caHandlers(deps: CaServiceDeps): CaHandlers {
  const cluster = (): Cluster => {
    const c = deps.store()?.view((v) => v.clusters.all()[0]);
    if (!c)
      throw new RpcError("UNAVAILABLE", "this manager has not caught up with the swarm yet: try another");
    return c;
  };
  const node = (id: string): Node => {
    const n = deps.store()?.view((v) => v.nodes.get(id));
    if (!n)
      throw new RpcError("NOT_FOUND", `node ${id} is not part of this swarm: join it again with a token`);
    return n;
  };
  const issue = async (csrPem: string, nodeId: string, role: StoreRole) => {
    const c = cluster();
    const cert = await issueNodeCertificate({
      ca: { certPem: c.rootCa.caCertPem, keyPem: c.rootCa.caKeyPem },
      csrPem,
      nodeId,
      role: toCertRole(role),
      clusterId: deps.clusterId,
      validityMs: c.spec.caConfig.nodeCertExpiryMs,
    });
    return {
      certificate_chain_pem: cert.certChainPem,
      role: toCertRole(role),
      root_ca_pem: c.rootCa.caCertPem,
    };
  };
  return {
    async getRootCaCertificate() {
      return { certificate_pem: cluster().rootCa.caCertPem };
    },
    async issueNodeCertificate(request) {
      const role = matchJoinToken(request.token, cluster().rootCa.joinTokens);
      if (role === undefined) {
        throw new RpcError(
          "PERMISSION_DENIED",
          "the join token is not valid for this swarm: ask a manager for `shoal swarm join-token worker` (or manager)",
        );
      }
      const storeRole = fromCertRole(role);
      const { nodeId } = (await deps.control("internal.registerNode", {
        role: storeRole,
        hostname: request.hints.hostname,
        addr: request.hints.advertise_addr,
      })) as { nodeId: string };
      return { ...(await issue(request.csr_pem, nodeId, storeRole)), node_id: nodeId };
    },
    async nodeCertificateStatus(context) {
      const n = node(context.peer.nodeId);
      return {
        state: "issued",
        certificate_chain_pem: "",
        role: toCertRole(certificateRoleFor(n)),
        message: "",
      };
    },
    async renewNodeCertificate(request, context) {
      const n = node(context.peer.nodeId);
      const role = certificateRoleFor(n);
      if (role !== n.role) await deps.control("internal.setNodeRole", { nodeId: n.id, role });
      return issue(request.csr_pem, n.id, role);
    },
  };
}
