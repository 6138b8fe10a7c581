import type { PeerCertificate, TLSSocket } from "node:tls";
import { derToPem } from "./pem.ts";

/** Node-to-node TLS never goes below 1.2 (swarm's floor). */
export const TLS_MIN_VERSION = "TLSv1.2";

export interface NodeTlsMaterial {
  readonly certChainPem: string;
  readonly keyPem: string;
  readonly trustBundlePem: string;
}

/**
 * Options for node:tls (and gRPC's credentials) for mutual TLS between nodes: present our chain,
 * demand and verify the peer's against the trust bundle. Clients should also set `servername` to
 * the role they dial (`swarm-manager`), which every manager certificate carries as a DNS SAN.
 * The caller then runs verifyPeerCertificate on peerCertificateChainPem(socket).
 */
export function nodeTlsOptions(material: NodeTlsMaterial) {
  return {
    cert: material.certChainPem,
    key: material.keyPem,
    ca: material.trustBundlePem,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: TLS_MIN_VERSION,
  } as const;
}

/** The chain the peer presented on a connected socket, leaf first, as PEM. Empty if none. */
export function peerCertificateChainPem(socket: TLSSocket): string {
  const pems: string[] = [];
  const seen = new Set<string>();
  let cert: PeerCertificate | undefined = socket.getPeerCertificate(true);
  while (cert?.raw !== undefined && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    pems.push(derToPem(cert.raw, "CERTIFICATE"));
    cert = (cert as { issuerCertificate?: PeerCertificate }).issuerCertificate;
  }
  return pems.join("");
}
