/**
 * Calls a manager relays for another node: a follower that serves an agent's dispatcher calls
 * passes them on to the leader over its own mutual-TLS connection, naming the agent (as its
 * certificate identified it to the follower) and the agent's address in a metadata key. The
 * leader's interceptor accepts that key only on methods the table marks relayable and only from a
 * caller whose certificate is a manager's; it then checks the named node like a direct caller
 * (role, cluster, not removed) and hands it to the handler as the verified peer.
 */
import * as grpc from "@grpc/grpc-js";
import { isNodeRole, isValidId, type PeerIdentity } from "@shoal/ca";

export const RELAYED_CALLER_METADATA_KEY = "x-shoal-relayed-caller";

/** The node a relayed call is made for, and where the relaying manager saw it connect from. */
export interface RelayedCaller {
  readonly peer: PeerIdentity;
  /** "ip:port" of the node as the relaying manager's gRPC saw it. */
  readonly remote: string;
}

/** Metadata for a call relayed on behalf of `caller`. */
export function relayedCallerMetadata(caller: RelayedCaller): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set(RELAYED_CALLER_METADATA_KEY, JSON.stringify(caller));
  return metadata;
}

/**
 * The relayed caller a client named, undefined when it named none, or a string saying what is
 * wrong with the value.
 */
export function readRelayedCaller(metadata: grpc.Metadata): RelayedCaller | undefined | string {
  const values = metadata.get(RELAYED_CALLER_METADATA_KEY);
  if (values.length === 0) return undefined;
  const [value] = values;
  if (values.length > 1 || typeof value !== "string") return "it must be one JSON text";
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return "it is not JSON";
  }
  const { peer, remote } = (parsed ?? {}) as { peer?: Partial<PeerIdentity>; remote?: unknown };
  if (typeof remote !== "string" || remote.length > 300) return "remote must be an address";
  if (
    typeof peer?.nodeId !== "string" ||
    !isValidId(peer.nodeId) ||
    typeof peer.clusterId !== "string" ||
    !isValidId(peer.clusterId) ||
    typeof peer.role !== "string" ||
    !isNodeRole(peer.role)
  ) {
    return "peer must name a node ID, a cluster ID and a node role";
  }
  return { peer: { nodeId: peer.nodeId, clusterId: peer.clusterId, role: peer.role }, remote };
}
