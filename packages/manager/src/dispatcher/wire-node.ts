/** Node facts as the dispatcher receives and sends them: wire description, session address. */
import type { SessionMessage, NodeDescription as WireNodeDescription } from "@shoal/rpc";
import type { Node, NodeDescription } from "@shoal/store";

export function nodeDescriptionFromWire(wire: WireNodeDescription): NodeDescription {
  return {
    hostname: wire.hostname,
    platform: { os: wire.os, arch: wire.architecture },
    resources: { nanoCpus: wire.nano_cpus, memoryBytes: wire.memory_bytes },
    engine: { version: wire.engine_version, labels: { ...wire.engine_labels } },
  };
}

/** The host part of gRPC's peer string ("ipv4:10.0.0.5:4242", "[::1]:4242", "10.0.0.5:4242"). */
export function hostOfPeer(peer: string): string {
  const bare = peer.replace(/^(ipv4|ipv6|dns|unix):/, "");
  const colon = bare.lastIndexOf(":");
  const host = colon > 0 && !bare.endsWith("]") ? bare.slice(0, colon) : bare;
  return host.replace(/^\[(.*)\]$/, "$1");
}

/** One entry of a session message's manager list. */
export type WeightedManager = SessionMessage["managers"][number];

export interface ManagerAddress {
  readonly nodeId: string;
  readonly addr: string;
}

/** Weight of the leader in the manager list (agents dial the heaviest first). */
export const LEADER_WEIGHT = 10;
export const FOLLOWER_WEIGHT = 1;

/**
 * The managers an agent may dial: every manager node with a known address, the leader heaviest.
 * `self` (this leader's own address) is listed even before its node object carries one.
 */
export function managerList(nodes: readonly Node[], self: ManagerAddress | undefined): WeightedManager[] {
  const byId = new Map<string, WeightedManager>();
  for (const node of nodes) {
    const status = node.managerStatus;
    if (!status || status.addr === "") continue;
    byId.set(node.id, {
      node_id: node.id,
      addr: status.addr,
      weight: status.leader && !self ? LEADER_WEIGHT : FOLLOWER_WEIGHT,
    });
  }
  if (self) byId.set(self.nodeId, { node_id: self.nodeId, addr: self.addr, weight: LEADER_WEIGHT });
  return [...byId.values()].sort((a, b) => b.weight - a.weight || a.node_id.localeCompare(b.node_id));
}
