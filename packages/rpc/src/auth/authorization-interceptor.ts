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
import { RELAYED_CALLER_METADATA_KEY, type RelayedCaller, readRelayedCaller } from "./relayed-caller.ts";
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
  | {
      readonly ok: true;
      readonly peer: PeerIdentity | undefined;
      /** For a call a manager relayed: the node's address as that manager saw it. */
      readonly relayedRemote?: string;
    }
  | { readonly ok: false; readonly error: RpcError };

export function authorizationInterceptor(options: AuthorizationOptions): grpc.ServerInterceptor {
  return (method, call) =>
    new grpc.ServerInterceptingCall(call, {
      start: (next) => {
        next({
          onReceiveMetadata: (metadata, forward) => {
            const relayed = readRelayedCaller(metadata);
            metadata.remove(RELAYED_CALLER_METADATA_KEY);
            const decision = authorizeCall(method.path, call.getAuthContext(), options, relayed);
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
            writeVerifiedPeer(metadata, decision.peer, decision.relayedRemote);
            forward(metadata);
          },
        });
      },
    });
}

/**
 * The decision for one call; pure apart from reading the current trust bundle. `relayed` is the
 * node a manager says it relays the call for (readRelayedCaller: a string when malformed).
 */
export function authorizeCall(
  path: string,
  auth: PeerAuthContext | null,
  options: Omit<AuthorizationOptions, "logger">,
  relayed?: RelayedCaller | string,
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
  if (relayed === undefined) return { ok: true, peer: verdict.peer };
  return authorizeRelayed(path, access, verdict.peer, relayed, options);
}

/** A call `relay` (already verified) makes for another node: only managers, only relayable methods. */
function authorizeRelayed(
  path: string,
  access: Extract<MethodAccess, { kind: "node" }>,
  relay: PeerIdentity,
  relayed: RelayedCaller | string,
  options: Omit<AuthorizationOptions, "logger">,
): Authorization {
  const denied = (why: string) => refuse("PERMISSION_DENIED", `${path} refused: ${why}`);
  if (typeof relayed === "string") return denied(`the relayed caller is malformed: ${relayed}`);
  if (!access.relayable) return denied(`this method cannot be relayed for another node`);
  if (relay.role !== "swarm-manager") {
    return denied(`peer ${relay.nodeId} is a ${relay.role}; only managers relay calls for other nodes`);
  }
  const { peer } = relayed;
  if (options.clusterId !== undefined && peer.clusterId !== options.clusterId) {
    return denied(
      `relayed node ${peer.nodeId} belongs to cluster ${peer.clusterId}, not ${options.clusterId}`,
    );
  }
  if (!access.roles.includes(peer.role)) {
    return denied(
      `relayed node ${peer.nodeId} is a ${peer.role}; this method admits ${access.roles.join(", ")}`,
    );
  }
  if (options.isRemoved(peer.nodeId)) {
    return denied(
      `relayed node ${peer.nodeId} has been removed from the swarm; it must join again with a token`,
    );
  }
  return { ok: true, peer, relayedRemote: relayed.remote };
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
