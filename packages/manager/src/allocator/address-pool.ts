import { AllocationError } from "./allocation-error.ts";
import { formatIpv4, parseSubnet, type Subnet, subnetSize } from "./ipv4.ts";

/** The most addresses a network keeps for nodes: node indexes run below this. */
export const MAX_NODE_ADDRESSES = 64;

/**
 * How many addresses at the top of a subnet (below broadcast) belong to the nodes: the node with
 * `networkAddressIndex` i has broadcast − 1 − i as its own address on the network (its bridge's,
 * the containers' gateway and DNS server: the agent's `hostAddressOf`). A quarter of the subnet,
 * at most MAX_NODE_ADDRESSES.
 */
export function nodeAddressCount(subnetSize: number): number {
  return Math.min(MAX_NODE_ADDRESSES, Math.floor(subnetSize / 4));
}

/** The node's own address on a network with this subnet (`a.b.c.d/bits`), or undefined when it has none there. */
export function nodeAddressOn(subnet: string, nodeIndex: number): string | undefined {
  const parsed = parseSubnet(subnet);
  const size = subnetSize(parsed);
  if (nodeIndex < 0 || nodeIndex >= nodeAddressCount(size)) return undefined;
  return formatIpv4(parsed.base + size - 2 - nodeIndex);
}

/**
 * The addresses of one network's subnet. The network address, the gateway (first host), the
 * nodes' own addresses (`nodeAddressCount` below broadcast) and the broadcast address are never
 * handed out. Allocation takes the lowest free address, so the same
 * store state always gives the same answers.
 */
export class AddressPool {
  /** Invariant: offsets from subnet.base in use (reserved ones included). */
  private readonly used = new Set<number>();
  /** Invariant: no free offset below this one. */
  private lowestFree = 0;
  private readonly size: number;
  /** Offsets at or above this one are the nodes' and broadcast. */
  private readonly top: number;

  constructor(
    readonly networkId: string,
    readonly subnet: Subnet,
  ) {
    this.size = subnetSize(subnet);
    this.top = this.size - 1 - nodeAddressCount(this.size);
    this.used.add(0);
    this.used.add(1);
  }

  get gateway(): string {
    return formatIpv4(this.subnet.base + 1);
  }

  /** Addresses handed out (reserved ones excluded). */
  get allocatedCount(): number {
    return this.used.size - 2;
  }

  /** Allocates the lowest free address; returns it as `a.b.c.d/bits`. */
  allocate(): string {
    let offset = this.lowestFree;
    while (offset < this.top && this.used.has(offset)) offset++;
    if (offset >= this.top) {
      throw new AllocationError("addresses-exhausted", `network ${this.networkId} has no free address left`);
    }
    this.used.add(offset);
    this.lowestFree = offset + 1;
    return `${formatIpv4(this.subnet.base + offset)}/${this.subnet.bits}`;
  }

  /** Marks an address as used (rebuilding from the store); false when outside or already taken. */
  reserve(ip: number): boolean {
    const offset = ip - this.subnet.base;
    if (offset <= 1 || offset >= this.top || this.used.has(offset)) return false;
    this.used.add(offset);
    return true;
  }

  release(ip: number): void {
    const offset = ip - this.subnet.base;
    if (offset <= 1 || offset >= this.top) return;
    if (this.used.delete(offset) && offset < this.lowestFree) this.lowestFree = offset;
  }

  isUsed(ip: number): boolean {
    const offset = ip - this.subnet.base;
    return offset >= this.top || this.used.has(offset);
  }
}
