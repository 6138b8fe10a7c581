/** Test helpers: a swarm's CA, node credentials, a CA service that issues for real, a logger. */
import { randomBytes } from "node:crypto";
import {
  CaError,
  createNodeCsr,
  createRootCa,
  generateJoinTokens,
  issueNodeCertificate,
  type JoinTokens,
  matchJoinToken,
  type NodeRole,
  type RootCa,
} from "@shoal/ca";
import type { Logger } from "@shoal/raft";
import type { CaHandlers } from "../ca/ca-service.ts";
import { RpcError } from "../errors.ts";
import type { TlsMaterial } from "../tls/tls-material.ts";

export const TEST_CLUSTER_ID = "testcluster00000000000001";

export interface TestSwarm {
  readonly root: RootCa;
  readonly tokens: JoinTokens;
  readonly clusterId: string;
}

export async function createTestSwarm(clusterId = TEST_CLUSTER_ID): Promise<TestSwarm> {
  const root = await createRootCa();
  return { root, tokens: generateJoinTokens(root.certPem), clusterId };
}

export async function nodeMaterial(swarm: TestSwarm, nodeId: string, role: NodeRole): Promise<TlsMaterial> {
  const { csrPem, keyPem } = await createNodeCsr();
  const issued = await issueNodeCertificate({
    ca: swarm.root,
    csrPem,
    nodeId,
    role,
    clusterId: swarm.clusterId,
  });
  return { certChainPem: issued.certChainPem, keyPem, trustBundlePem: swarm.root.certPem };
}

/** A CA service as a manager would run it, minus the store: tokens matched in constant time. */
export function testCaHandlers(swarm: TestSwarm): CaHandlers & { issued: string[] } {
  const issued: string[] = [];
  return {
    issued,
    async getRootCaCertificate() {
      return { certificate_pem: swarm.root.certPem };
    },
    async issueNodeCertificate(request) {
      const role = matchJoinToken(request.token, swarm.tokens);
      if (role === undefined) {
        throw new RpcError(
          "PERMISSION_DENIED",
          "the join token is not valid for this swarm: ask a manager for `swarm join-token worker` or `manager`",
        );
      }
      const nodeId = randomBytes(12).toString("hex").slice(0, 25);
      const cert = await issueNodeCertificate({
        ca: swarm.root,
        csrPem: request.csr_pem,
        nodeId,
        role,
        clusterId: swarm.clusterId,
      });
      issued.push(nodeId);
      return {
        certificate_chain_pem: cert.certChainPem,
        node_id: nodeId,
        role,
        root_ca_pem: swarm.root.certPem,
      };
    },
    async nodeCertificateStatus(context) {
      return { state: "issued", certificate_chain_pem: "", role: context.peer.role, message: "" };
    },
    async renewNodeCertificate(request, context) {
      const cert = await issueNodeCertificate({
        ca: swarm.root,
        csrPem: request.csr_pem,
        nodeId: context.peer.nodeId,
        role: context.peer.role,
        clusterId: swarm.clusterId,
      }).catch((err: unknown) => {
        throw err instanceof CaError ? err : new RpcError("INTERNAL", String(err));
      });
      return {
        certificate_chain_pem: cert.certChainPem,
        role: context.peer.role,
        root_ca_pem: swarm.root.certPem,
      };
    },
  };
}

export interface RecordingLogger extends Logger {
  readonly lines: { level: string; msg: string; fields?: Record<string, unknown> }[];
}

export function recordingLogger(): RecordingLogger {
  const lines: RecordingLogger["lines"] = [];
  const record = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push({ level, msg, ...(fields ? { fields } : {}) });
  };
  return {
    lines,
    debug: record("debug"),
    info: record("info"),
    warn: record("warn"),
    error: record("error"),
  };
}

export async function eventually(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
