import { DEFAULT_CLUSTER_SPEC } from "@shoal/store";
import { AllocationError } from "./allocation-error.ts";
import { formatSubnet, parseSubnet, type Subnet, subnetSize, subnetsOverlap } from "./ipv4.ts";

export interface AddressPools {
  /** Subnets networks are cut from (the cluster's defaultAddressPool, 10.0.0.0/8 by default). */
  readonly pools: readonly string[];
  /** Prefix length of each network's subnet (24 by default). */
  readonly subnetSize: number;
}

export const DEFAULT_ADDRESS_POOLS: AddressPools = Object.freeze({
  pools: DEFAULT_CLUSTER_SPEC.defaultAddressPool,
  subnetSize: DEFAULT_CLUSTER_SPEC.subnetSize,
});

/** Networks' subnets: the given one, or the lowest free one cut from the pools. */
export class SubnetAllocator {
  /** Invariant: network id → its subnet; no two overlap. */
  private readonly subnets = new Map<string, Subnet>();

  constructor(private readonly pools: AddressPools = DEFAULT_ADDRESS_POOLS) {}

  /** Records a network's subnet (rebuilding from the store); false when it overlaps another. */
  reserve(networkId: string, subnet: Subnet): boolean {
    for (const [id, s] of this.subnets) if (id !== networkId && subnetsOverlap(s, subnet)) return false;
    this.subnets.set(networkId, subnet);
    return true;
  }

  release(networkId: string): void {
    this.subnets.delete(networkId);
  }

  /** Takes `requested` if given and free, else the lowest free subnet of the pools. */
  allocate(networkId: string, requested?: string): Subnet {
    if (requested !== undefined) {
      const subnet = parseSubnet(requested);
      if (!this.reserve(networkId, subnet)) {
        throw new AllocationError("invalid-subnet", `subnet ${requested} overlaps another network's`);
      }
      return subnet;
    }
    for (const poolText of this.pools.pools) {
      const pool = parseSubnet(poolText);
      const step = subnetSize({ base: 0, bits: this.pools.subnetSize });
      for (let base = pool.base; base < pool.base + subnetSize(pool); base += step) {
        const candidate = { base, bits: this.pools.subnetSize };
        if (this.reserve(networkId, candidate)) return candidate;
      }
    }
    throw new AllocationError(
      "subnets-exhausted",
      `no free /${this.pools.subnetSize} left in the address pools ${this.pools.pools.join(", ")}`,
    );
  }

  subnetOf(networkId: string): string | undefined {
    const s = this.subnets.get(networkId);
    return s === undefined ? undefined : formatSubnet(s);
  }
}
