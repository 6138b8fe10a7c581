import { AllocationError } from "./allocation-error.ts";
import { formatIpv4, type Subnet, subnetSize } from "./ipv4.ts";

/**
 * The addresses of one network's subnet. The network address, the gateway (first host) and the
 * broadcast address are never handed out. Allocation takes the lowest free address, so the same
 * store state always gives the same answers.
 */
export class AddressPool {
  /** Invariant: offsets from subnet.base in use (reserved ones included). */
  private readonly used = new Set<number>();
  /** Invariant: no free offset below this one. */
  private lowestFree = 0;
  private readonly size: number;

  constructor(
    readonly networkId: string,
    readonly subnet: Subnet,
  ) {
    this.size = subnetSize(subnet);
    this.used.add(0);
    this.used.add(1);
    this.used.add(this.size - 1);
  }

  get gateway(): string {
    return formatIpv4(this.subnet.base + 1);
  }

  /** Addresses handed out (reserved ones excluded). */
  get allocatedCount(): number {
    return this.used.size - 3;
  }

  /** Allocates the lowest free address; returns it as `a.b.c.d/bits`. */
  allocate(): string {
    let offset = this.lowestFree;
    while (offset < this.size && this.used.has(offset)) offset++;
    if (offset >= this.size) {
      throw new AllocationError("addresses-exhausted", `network ${this.networkId} has no free address left`);
    }
    this.used.add(offset);
    this.lowestFree = offset + 1;
    return `${formatIpv4(this.subnet.base + offset)}/${this.subnet.bits}`;
  }

  /** Marks an address as used (rebuilding from the store); false when outside or already taken. */
  reserve(ip: number): boolean {
    const offset = ip - this.subnet.base;
    if (offset <= 1 || offset >= this.size - 1 || this.used.has(offset)) return false;
    this.used.add(offset);
    return true;
  }

  release(ip: number): void {
    const offset = ip - this.subnet.base;
    if (offset <= 1 || offset >= this.size - 1) return;
    if (this.used.delete(offset) && offset < this.lowestFree) this.lowestFree = offset;
  }

  isUsed(ip: number): boolean {
    return this.used.has(ip - this.subnet.base);
  }
}
