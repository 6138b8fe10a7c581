/**
 * Per-method authorization on the shared port. TLS let every client in (certificate optional);
 * before a call reaches its handler this interceptor looks the method up in the access table and,
 * for node-only methods, checks the certificate the client presented during the handshake:
 * verified against the *current* trust bundle (so a CA rotation applies to old connections too),
 * of this cluster, of an allowed role, and not removed. Refusals carry UNAUTHENTICATED (no or
 * untrusted certificate) or PERMISSION_DENIED (wrong role, removed, other cluster) and a message
 * that says what to do.
 */
import { X509Certificate } from "node:crypto";
import type { PeerCertificate } from "node:tls";
import * as grpc from "@grpc/grpc-js";
import { type PeerIdentity, verifyPeerCertificate } from "@shoal/ca";
import type { Logger } from "@shoal/raft";
import { RpcError, toRpcError } from "../errors.ts";
import type { TlsMaterial, TlsMaterialSource } from "../tls/tls-material.ts";
import type { MethodAccess } from "./method-access.ts";
import { writeVerifiedPeer } from "./verified-peer.ts";

export interface AuthorizationOptions {
  readonly access: ReadonlyMap<string, MethodAccess>;
  readonly tls: TlsMaterialSource;
  /** True for a node removed from the swarm (the manager's denylist). */
  readonly isRemoved: (nodeId: string) => boolean;
  /** When given, callers' certificates must name this cluster. */
  readonly clusterId?: string;
  readonly logger: Logger;
}

/** What gRPC tells a server about the TLS peer (grpc-js AuthContext). */
export interface PeerAuthContext {
  readonly sslPeerCertificate?: PeerCertificate | undefined;
}

export type Authorization =
  | { readonly ok: true; readonly peer: PeerIdentity | undefined }
  | { readonly ok: false; readonly error: RpcError };

export function authorizationInterceptor(options: AuthorizationOptions): grpc.ServerInterceptor {
  return (method, call) =>
    new grpc.ServerInterceptingCall(call, {
      start: (next) => {
        next({
          onReceiveMetadata: (metadata, forward) => {
            const decision = authorizeCall(method.path, call.getAuthContext(), options);
            if (!decision.ok) {
              options.logger.warn("rpc: call refused", {
                method: method.path,
                reason: decision.error.message,
              });
              call.sendStatus({
                code: decision.error.status,
                details: decision.error.message,
                metadata: new grpc.Metadata(),
              });
              return;
            }
            writeVerifiedPeer(metadata, decision.peer);
            forward(metadata);
          },
        });
      },
    });
}

/** The decision for one call; pure apart from reading the current trust bundle. */
export function authorizeCall(
  path: string,
  auth: PeerAuthContext | null,
  options: Omit<AuthorizationOptions, "logger">,
): Authorization {
  const access = options.access.get(path);
  const chainPem = presentedChainPem(auth, options.tls.current);
  if (access === undefined) {
    return refuse("PERMISSION_DENIED", `method ${path} is not served on this port`);
  }
  if (access.kind === "open") {
    // An open method still learns who called when the caller presents a valid certificate.
    if (chainPem === undefined) return { ok: true, peer: undefined };
    const verdict = verifyPeerCertificate(chainPem, options.tls.current.trustBundlePem, {
      allowedRoles: ["swarm-manager", "swarm-worker"],
      isRemoved: options.isRemoved,
      ...(options.clusterId ? { clusterId: options.clusterId } : {}),
    });
    return { ok: true, peer: verdict.ok ? verdict.peer : undefined };
  }
  if (chainPem === undefined) {
    return refuse(
      "UNAUTHENTICATED",
      `${path} needs a node certificate of this swarm; the connection presented none or one this swarm's CA did not sign (join the swarm first)`,
    );
  }
  const verdict = verifyPeerCertificate(chainPem, options.tls.current.trustBundlePem, {
    allowedRoles: access.roles,
    isRemoved: options.isRemoved,
    ...(options.clusterId ? { clusterId: options.clusterId } : {}),
  });
  if (!verdict.ok) {
    const error = toRpcError(verdict.error);
    return { ok: false, error: withMethod(error, path) };
  }
  return { ok: true, peer: verdict.peer };
}

/**
 * The certificate chain the caller presented, as PEM, or undefined when it presented none that
 * TLS could verify. gRPC exposes only the leaf of a verified client certificate, so the server's
 * own intermediates and the configured peer intermediates (during a root rotation, the
 * cross-signed root) are appended as candidates.
 */
function presentedChainPem(auth: PeerAuthContext | null, own: TlsMaterial): string | undefined {
  const raw = auth?.sslPeerCertificate?.raw;
  if (raw === undefined) return undefined;
  const ownIntermediates = own.certChainPem
    .split(/(?=-----BEGIN CERTIFICATE-----)/)
    .slice(1)
    .join("");
  return new X509Certificate(raw).toString() + ownIntermediates + (own.peerIntermediatesPem ?? "");
}

function refuse(code: RpcError["code"], message: string): Authorization {
  return { ok: false, error: new RpcError(code, message) };
}

function withMethod(error: RpcError, path: string): RpcError {
  return new RpcError(error.code, `${path} refused: ${error.message}`, { cause: error });
}
