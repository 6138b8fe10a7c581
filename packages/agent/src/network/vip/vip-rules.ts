/**
 * The VIP load-balancing rules of one task container, as `iptables-restore --noflush` input. In the
 * container's own network namespace, the nat table's SHOAL-VIP chain (jumped to from OUTPUT)
 * rewrites a connection to a service's VIP to one of its tasks in rotation, picked at random
 * (`-m statistic`: rule i of n matches with probability 1/(n−i), the last always), for every
 * protocol and port. A VIP with no task in rotation is refused at once (filter SHOAL-VIP, REJECT)
 * rather than left to time out. Translation at the source needs no hairpin and no proxy; conntrack
 * keeps established connections on their task when the rules change. Pure.
 */
import type { NetworkTable } from "../mesh/endpoint-follower.ts";
import { addressOnly } from "../mesh/mesh-table.ts";

/** The chain's name in both tables. */
export const VIP_CHAIN = "SHOAL-VIP";

/** One service's VIP on one network and the task addresses it spreads over. */
export interface VipTarget {
  service: string;
  vip: string;
  backends: readonly string[];
}

function ipv4ToNumber(address: string): number | undefined {
  const parts = address.split(".").map(Number);
  if (parts.length !== 4 || !parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

/** Whether `address` lies in `subnet` (CIDR). */
export function inSubnet(address: string, subnet: string): boolean {
  const [base, bitsText] = subnet.split("/");
  const a = ipv4ToNumber(address);
  const b = ipv4ToNumber(base ?? "");
  const bits = Number(bitsText);
  if (a === undefined || b === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (a & mask) === (b & mask);
}

/** The Shoal networks (ids) among a container's addresses: those whose subnet holds one. */
export function networksOfAddresses(table: NetworkTable, addresses: readonly string[]): string[] {
  return [...table.values()]
    .filter((e) => {
      const subnet = e.network.ipam[0]?.subnet;
      return subnet !== undefined && addresses.some((a) => inSubnet(a, subnet));
    })
    .map((e) => e.network.id);
}

/**
 * The VIPs a container on `networkIds` reaches: every vip-mode service of those networks, with its
 * task addresses in rotation minus `leaving` (tasks of this node about to stop). Sorted, so equal
 * tables give equal rules.
 */
export function vipTargets(
  table: NetworkTable,
  networkIds: readonly string[],
  leaving: ReadonlySet<string> = new Set(),
): VipTarget[] {
  const out: VipTarget[] = [];
  for (const id of networkIds) {
    for (const s of table.get(id)?.dns ?? []) {
      if (s.endpointMode !== "vip" || !s.vip) continue;
      const backends = s.taskAddresses.map(addressOnly).filter((a) => !leaving.has(a));
      out.push({ service: s.name, vip: addressOnly(s.vip), backends: [...new Set(backends)].sort() });
    }
  }
  return out.sort((a, b) => a.vip.localeCompare(b.vip));
}

/** A service name as an iptables comment (letters, digits, `._-` only). */
function comment(name: string): string {
  return `-m comment --comment "${name.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 200)}"`;
}

/** `iptables-restore --noflush` input: both SHOAL-VIP chains replaced as a whole, atomically. */
export function renderVipRules(targets: readonly VipTarget[]): string {
  const nat = [`*nat`, `:${VIP_CHAIN} - [0:0]`];
  const filter = [`*filter`, `:${VIP_CHAIN} - [0:0]`];
  for (const t of targets) {
    const n = t.backends.length;
    if (n === 0) {
      filter.push(`-A ${VIP_CHAIN} -d ${t.vip}/32 ${comment(t.service)} -j REJECT`);
      continue;
    }
    t.backends.forEach((backend, i) => {
      const left = n - i;
      const pick = left > 1 ? ` -m statistic --mode random --probability ${(1 / left).toFixed(8)}` : "";
      nat.push(
        `-A ${VIP_CHAIN} -d ${t.vip}/32 ${comment(t.service)}${pick} -j DNAT --to-destination ${backend}`,
      );
    });
  }
  return [...nat, "COMMIT", ...filter, "COMMIT", ""].join("\n");
}
