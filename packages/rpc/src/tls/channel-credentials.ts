/**
 * Client-side credentials. Every server on the node-to-node port is a manager, so clients verify
 * the server against the trust bundle and require its certificate to name `swarm-manager` (a DNS
 * SAN every manager certificate carries) and, when known, this cluster.
 */
import { X509Certificate } from "node:crypto";
import { checkServerIdentity, type PeerCertificate } from "node:tls";
import * as grpc from "@grpc/grpc-js";
import { NodeRole, readPeerIdentity } from "@shoal/ca";
import type { TlsMaterialSource } from "./tls-material.ts";

/** The name clients expect in a manager's certificate (SNI and hostname check). */
export const MANAGER_SERVER_NAME = NodeRole.Manager;

/** Channel options every Shoal client sets: the server name above, in place of the dialled host. */
export function managerChannelOptions(extra: grpc.ChannelOptions = {}): grpc.ChannelOptions {
  return {
    "grpc.ssl_target_name_override": MANAGER_SERVER_NAME,
    "grpc.default_authority": MANAGER_SERVER_NAME,
    ...extra,
  };
}

/** Mutual TLS with this node's certificate; follows reloads of `source` for new connections. */
export function mutualTlsChannelCredentials(
  source: TlsMaterialSource,
  options: { clusterId?: string } = {},
): grpc.ChannelCredentials {
  return grpc.experimental.createCertificateProviderChannelCredentials(source, source, {
    checkServerIdentity: managerIdentityCheck(options.clusterId),
  });
}

/** TLS verified against `rootCaPem`, without a client certificate: a joining node sending its CSR. */
export function verifiedChannelCredentials(rootCaPem: string, options: { clusterId?: string } = {}) {
  return grpc.credentials.createSsl(Buffer.from(rootCaPem), null, null, {
    checkServerIdentity: managerIdentityCheck(options.clusterId),
  });
}

/**
 * TLS that verifies nothing: only for fetching the root CA before joining, whose answer the
 * caller must check against the join token's digest (checkRemoteRootCa) before trusting it.
 */
export function unverifiedChannelCredentials(): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(null, null, null, {
    rejectUnauthorized: false,
    checkServerIdentity: () => undefined,
  });
}

function managerIdentityCheck(clusterId: string | undefined) {
  return (host: string, cert: PeerCertificate): Error | undefined => {
    const hostError = checkServerIdentity(host, cert);
    if (hostError) return hostError;
    try {
      const peer = readPeerIdentity(new X509Certificate(cert.raw));
      if (peer.role !== NodeRole.Manager) return new Error(`server ${peer.nodeId} is not a manager`);
      if (clusterId !== undefined && peer.clusterId !== clusterId) {
        return new Error(`server ${peer.nodeId} belongs to cluster ${peer.clusterId}, not ${clusterId}`);
      }
      return undefined;
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  };
}
