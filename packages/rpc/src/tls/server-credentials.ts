/**
 * Server credentials for the one node-to-node port. TLS asks every client for a certificate but
 * does not insist (`requestCert: true, rejectUnauthorized: false`): a joining node has none yet.
 * Who may call what is decided per method by the authorization interceptor (auth/), which reads
 * the certificate Node's TLS verified against the trust bundle during the handshake.
 *
 * Reload: when the TlsMaterialSource changes, gRPC calls `setSecureContext` on its HTTP/2 server,
 * so new connections present the new certificate and verify against the new trust bundle, and
 * established connections carry on untouched (the interceptor re-checks every call against the
 * current trust bundle, so a peer the new bundle no longer trusts is refused on old connections).
 */
import type { SecureContextOptions } from "node:tls";
import * as grpc from "@grpc/grpc-js";
import { TLS_MIN_VERSION } from "@shoal/ca";
import type { TlsMaterial, TlsMaterialSource } from "./tls-material.ts";

export class NodeServerCredentials extends grpc.ServerCredentials {
  private readonly unsubscribe: () => void;

  constructor(readonly source: TlsMaterialSource) {
    super(
      { requestCert: true, rejectUnauthorized: false, minVersion: TLS_MIN_VERSION },
      contextOptions(source.current),
    );
    this.unsubscribe = source.onChange((material) =>
      this.updateSecureContextOptions(contextOptions(material)),
    );
  }

  /** Stops following the source (the server using these credentials is shut down). */
  detach(): void {
    this.unsubscribe();
  }

  _equals(other: grpc.ServerCredentials): boolean {
    return other === this;
  }
}

function contextOptions(material: TlsMaterial): SecureContextOptions {
  return {
    cert: material.certChainPem,
    key: material.keyPem,
    ca: material.trustBundlePem,
    minVersion: TLS_MIN_VERSION,
  };
}
