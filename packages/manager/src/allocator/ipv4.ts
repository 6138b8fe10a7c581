import { AllocationError } from "./allocation-error.ts";

/** An IPv4 subnet: `base` is the network address as an unsigned 32-bit number. */
export interface Subnet {
  readonly base: number;
  readonly bits: number;
}

export function parseIpv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let ip = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    ip = ip * 256 + Number(part);
  }
  return ip;
}

export function formatIpv4(ip: number): string {
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join(".");
}

/** `10.0.1.0/24` → Subnet; throws AllocationError "invalid-subnet" (host bits must be zero). */
export function parseSubnet(text: string): Subnet {
  const [ipText = "", bitsText = ""] = text.split("/");
  const ip = parseIpv4(ipText);
  const bits = Number(bitsText);
  if (ip === undefined || !/^\d+$/.test(bitsText) || bits < 8 || bits > 30) {
    throw new AllocationError("invalid-subnet", `"${text}" is not an IPv4 subnet from /8 to /30`);
  }
  if (ip % subnetSize({ base: 0, bits }) !== 0) {
    throw new AllocationError("invalid-subnet", `"${text}" has host bits set`);
  }
  return { base: ip, bits };
}

export function formatSubnet(s: Subnet): string {
  return `${formatIpv4(s.base)}/${s.bits}`;
}

export function subnetSize(s: Subnet): number {
  return 2 ** (32 - s.bits);
}

export function subnetsOverlap(a: Subnet, b: Subnet): boolean {
  return a.base < b.base + subnetSize(b) && b.base < a.base + subnetSize(a);
}

/** `10.0.1.5/24` → the address 10.0.1.5 (the prefix length is dropped). */
export function addressOf(cidr: string): number | undefined {
  return parseIpv4(cidr.split("/")[0] ?? "");
}
