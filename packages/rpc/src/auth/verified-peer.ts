/**
 * How a handler learns who called: the authorization interceptor verifies the caller's
 * certificate and passes the identity to the handler in a reserved metadata key, after deleting
 * any value the client sent under that key.
 */
import type * as grpc from "@grpc/grpc-js";
import { isNodeRole, type PeerIdentity } from "@shoal/ca";
import { RpcError } from "../errors.ts";

export const VERIFIED_PEER_METADATA_KEY = "x-shoal-verified-peer";
/** For a relayed call: the node's address as the relaying manager saw it. */
export const VERIFIED_REMOTE_METADATA_KEY = "x-shoal-verified-remote";

export function writeVerifiedPeer(
  metadata: grpc.Metadata,
  peer: PeerIdentity | undefined,
  relayedRemote?: string,
): void {
  metadata.remove(VERIFIED_PEER_METADATA_KEY);
  metadata.remove(VERIFIED_REMOTE_METADATA_KEY);
  if (peer) metadata.set(VERIFIED_PEER_METADATA_KEY, JSON.stringify(peer));
  if (relayedRemote !== undefined) metadata.set(VERIFIED_REMOTE_METADATA_KEY, relayedRemote);
}

/** The caller's address: the relayed node's for a relayed call, else the connection's peer. */
export function readVerifiedRemote(metadata: grpc.Metadata, connectionPeer: string): string {
  const [value] = metadata.get(VERIFIED_REMOTE_METADATA_KEY);
  return typeof value === "string" ? value : connectionPeer;
}

/** The verified caller, or undefined on an open method called without a certificate. */
export function readVerifiedPeer(metadata: grpc.Metadata): PeerIdentity | undefined {
  const [value] = metadata.get(VERIFIED_PEER_METADATA_KEY);
  if (typeof value !== "string") return undefined;
  const parsed = JSON.parse(value) as PeerIdentity;
  if (!isNodeRole(parsed.role)) throw new RpcError("INTERNAL", "verified peer metadata is corrupt");
  return parsed;
}

/** The verified caller; a programmer error if the method's access rule let anonymous callers in. */
export function requireVerifiedPeer(metadata: grpc.Metadata): PeerIdentity {
  const peer = readVerifiedPeer(metadata);
  if (!peer) throw new RpcError("UNAUTHENTICATED", "this call needs the node's certificate");
  return peer;
}
