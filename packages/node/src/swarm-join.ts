/**
 * The joining side of `swarm join`: fetch the remote root CA without verification and pin it to
 * the token's digest, then ask for a certificate over TLS verified against that root. Errors
 * become NodeErrors that say what to do.
 */
import { X509Certificate } from "node:crypto";
import { CaError, createNodeCsr, parseJoinToken, readPeerIdentity } from "@shoal/ca";
import { storeRoleOf } from "@shoal/manager";
import { fetchRootCaForJoin, RpcError, requestNodeCertificate } from "@shoal/rpc";
import type { NodeRole } from "@shoal/store";
import { NodeError } from "./node-error.ts";

export interface JoinedIdentity {
  readonly nodeId: string;
  readonly clusterId: string;
  readonly role: NodeRole;
  readonly rootCaPem: string;
  readonly certChainPem: string;
  readonly keyPem: string;
}

const JOIN_DEADLINE_MS = 15_000;

export async function requestJoin(input: {
  token: string;
  remoteAddr: string;
  hostname: string;
  advertiseAddr: string;
}): Promise<JoinedIdentity> {
  try {
    parseJoinToken(input.token);
  } catch (error) {
    throw new NodeError("invalid-argument", (error as Error).message);
  }
  let rootCaPem: string;
  try {
    rootCaPem = await fetchRootCaForJoin(input.remoteAddr, input.token, { deadlineMs: JOIN_DEADLINE_MS });
  } catch (error) {
    if (error instanceof CaError && error.code === "CA_MISMATCH") {
      throw new NodeError(
        "join-refused",
        `the manager at ${input.remoteAddr} is not part of the swarm this token belongs to (its root CA does not match the token): check the address and the token`,
      );
    }
    throw unreachable(input.remoteAddr, error);
  }
  const { csrPem, keyPem } = await createNodeCsr();
  let issued: Awaited<ReturnType<typeof requestNodeCertificate>>;
  try {
    issued = await requestNodeCertificate(
      input.remoteAddr,
      {
        rootCaPem,
        csrPem,
        joinToken: input.token,
        hints: { hostname: input.hostname, advertise_addr: input.advertiseAddr },
      },
      { deadlineMs: JOIN_DEADLINE_MS },
    );
  } catch (error) {
    if (
      error instanceof RpcError &&
      (error.code === "PERMISSION_DENIED" || error.code === "INVALID_ARGUMENT")
    ) {
      throw new NodeError("join-refused", `the swarm refused to join: ${error.message}`);
    }
    throw unreachable(input.remoteAddr, error);
  }
  const identity = readPeerIdentity(new X509Certificate(issued.certificate_chain_pem));
  return {
    nodeId: issued.node_id,
    clusterId: identity.clusterId,
    role: storeRoleOf(issued.role),
    rootCaPem: issued.root_ca_pem,
    certChainPem: issued.certificate_chain_pem,
    keyPem,
  };
}

function unreachable(addr: string, error: unknown): NodeError {
  if (error instanceof NodeError) return error;
  return new NodeError(
    "unreachable",
    `cannot join through ${addr}: ${(error as Error).message}: check that a manager listens there`,
  );
}
