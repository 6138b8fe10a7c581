import { readFileSync } from "node:fs";

export interface Upstream {
  host: string;
  port: number;
}

/** The IPv4 nameservers of a resolv.conf (the node's normal resolvers), port 53. */
export function parseResolvConf(text: string): Upstream[] {
  const out: Upstream[] = [];
  for (const line of text.split("\n")) {
    const [keyword, address] = line.trim().split(/\s+/);
    if (keyword === "nameserver" && address && /^\d{1,3}(\.\d{1,3}){3}$/.test(address)) {
      out.push({ host: address, port: 53 });
    }
  }
  return out;
}

export function readResolvConf(path = "/etc/resolv.conf"): Upstream[] {
  try {
    return parseResolvConf(readFileSync(path, "utf8"));
  } catch {
    return [];
  }
}
