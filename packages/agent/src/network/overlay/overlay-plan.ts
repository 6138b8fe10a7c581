import { createHash } from "node:crypto";
import type { Network } from "@shoal/store";
import { assert } from "../../errors.ts";

/** The VXLAN UDP port (IANA), as swarm uses. */
export const VXLAN_PORT = 4789;
/** VXLAN's own headers (outer IPv4 + UDP + VXLAN + inner Ethernet). */
export const VXLAN_OVERHEAD_BYTES = 50;
/** Where swarm keeps an overlay's VXLAN id. */
export const VXLAN_ID_OPTION = "com.docker.network.driver.overlay.vxlanid_list";
/** VXLAN ids below this are left to others (swarm's range starts at 4096). */
const VXLAN_ID_MIN = 4_096;
const VXLAN_ID_MAX = 16_777_215;

/** What a node needs to bring one overlay network up. */
export interface OverlaySpec {
  networkId: string;
  /** The Docker network's name on the node. */
  dockerName: string;
  vxlanId: number;
  /** CIDR, e.g. 10.0.1.0/24. */
  subnet: string;
  /** This node's own address on the network (the bridge's; containers' gateway and DNS server). */
  hostAddress: string;
}

/** Device names from the network id: bridge and VXLAN, 13 characters (Linux allows 15). */
export function deviceNames(networkId: string): { bridge: string; vxlan: string } {
  const h = createHash("sha256").update(networkId).digest("hex").slice(0, 10);
  return { bridge: `shb${h}`, vxlan: `shv${h}` };
}

/**
 * The bridge's own MAC on one node: fixed at creation (locally administered, from the network id
 * and the node's address, so it differs per node on the shared segment). A bridge without a set
 * MAC takes the lowest of its ports' and changes it when a container leaves; containers would then
 * send to the old one (their gateway and DNS server) until their ARP entry expires.
 */
export function bridgeMacOf(networkId: string, localAddress: string): string {
  const h = createHash("sha256").update(`${networkId}/${localAddress}`).digest();
  return ["02", ...[...h.subarray(0, 5)].map((b) => b.toString(16).padStart(2, "0"))].join(":");
}

/**
 * The network's VXLAN id: the allocator's (`driverState.options`, as swarm keeps it) when set, else
 * one derived from the network id (every node derives the same one).
 */
export function vxlanIdOf(network: Pick<Network, "id" | "driverState">): number {
  const given = Number(network.driverState?.options[VXLAN_ID_OPTION]);
  if (Number.isInteger(given) && given >= 1 && given <= VXLAN_ID_MAX) return given;
  const n = createHash("sha256").update(network.id).digest().readUInt32BE(0);
  return VXLAN_ID_MIN + (n % (VXLAN_ID_MAX - VXLAN_ID_MIN + 1));
}

function parseIpv4(address: string): number {
  const parts = address.split(".").map(Number);
  assert(
    parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255),
    `bad IPv4 ${address}`,
  );
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/**
 * A node's own address on an overlay subnet: counted down from the top (the manager's IPAM hands
 * task addresses out from the bottom), one per node index: index 0 → broadcast − 1.
 */
export function hostAddressOf(subnet: string, nodeIndex: number): string {
  const [base, bitsText] = subnet.split("/");
  const bits = Number(bitsText);
  assert(Number.isInteger(bits) && bits >= 8 && bits <= 29, `subnet ${subnet} is too small or too large`);
  const size = 2 ** (32 - bits);
  assert(nodeIndex >= 0 && nodeIndex < size / 2, `node index ${nodeIndex} does not fit ${subnet}`);
  const network = parseIpv4(base!) & ~(size - 1);
  return formatIpv4((network >>> 0) + size - 2 - nodeIndex);
}

/** The prefix length of a CIDR: "10.0.1.0/24" → 24. */
export function prefixLengthOf(subnet: string): number {
  const bits = Number(subnet.split("/")[1]);
  assert(Number.isInteger(bits) && bits >= 0 && bits <= 32, `bad subnet ${subnet}`);
  return bits;
}

/** The overlay spec of a store network on one node. */
export function overlaySpecOf(network: Network, nodeIndex: number): OverlaySpec {
  const subnet = network.ipam[0]?.subnet;
  assert(subnet, `network ${network.id} has no subnet allocated yet`);
  return {
    networkId: network.id,
    dockerName: `shoal-${network.spec.name}`,
    vxlanId: vxlanIdOf(network),
    subnet,
    hostAddress: hostAddressOf(subnet, nodeIndex),
  };
}
