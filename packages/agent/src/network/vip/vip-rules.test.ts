import { describe, expect, it } from "vitest";
import type { EndpointNetwork, NetworkTable } from "../mesh/endpoint-follower.ts";
import { inSubnet, networksOfAddresses, renderVipRules, vipTargets } from "./vip-rules.ts";

function network(id: string, subnet: string, dns: EndpointNetwork["dns"]): EndpointNetwork {
  return {
    kind: "network",
    network: { id, spec: { name: id }, ipam: [{ subnet, gateway: "" }] },
    nodes: [],
    dns,
  };
}

const table: NetworkTable = new Map([
  [
    "front",
    network("front", "10.0.1.0/24", [
      {
        name: "web",
        endpointMode: "vip",
        vip: "10.0.1.2/24",
        taskAddresses: ["10.0.1.9", "10.0.1.7", "10.0.1.8"],
      },
      { name: "raw", endpointMode: "dnsrr", taskAddresses: ["10.0.1.20"] },
      { name: "idle", endpointMode: "vip", vip: "10.0.1.3/24", taskAddresses: [] },
    ]),
  ],
  [
    "back",
    network("back", "10.0.2.0/24", [
      { name: "api", endpointMode: "vip", vip: "10.0.2.2", taskAddresses: ["10.0.2.5"] },
    ]),
  ],
]);

describe("VIP rules of a task container", () => {
  it("finds the container's networks by its addresses", () => {
    expect(inSubnet("10.0.1.200", "10.0.1.0/24")).toBe(true);
    expect(inSubnet("10.0.2.1", "10.0.1.0/24")).toBe(false);
    expect(inSubnet("not-an-ip", "10.0.1.0/24")).toBe(false);
    expect(networksOfAddresses(table, ["172.17.0.2", "10.0.2.9"])).toEqual(["back"]);
    expect(networksOfAddresses(table, ["172.17.0.2"])).toEqual([]);
  });

  it("lists the vip-mode services of the container's networks only, leaving tasks on their way out", () => {
    expect(vipTargets(table, ["front"], new Set(["10.0.1.8"]))).toEqual([
      { service: "web", vip: "10.0.1.2", backends: ["10.0.1.7", "10.0.1.9"] },
      { service: "idle", vip: "10.0.1.3", backends: [] },
    ]);
    expect(vipTargets(table, ["back"]).map((t) => t.service)).toEqual(["api"]);
  });

  it("spreads a VIP evenly (1/3, 1/2, then the rest), refuses one without tasks, replaces both chains", () => {
    const rules = renderVipRules(vipTargets(table, ["front", "back"]));
    expect(rules.split("\n")).toEqual([
      "*nat",
      ":SHOAL-VIP - [0:0]",
      '-A SHOAL-VIP -d 10.0.1.2/32 -m comment --comment "web" -m statistic --mode random --probability 0.33333333 -j DNAT --to-destination 10.0.1.7',
      '-A SHOAL-VIP -d 10.0.1.2/32 -m comment --comment "web" -m statistic --mode random --probability 0.50000000 -j DNAT --to-destination 10.0.1.8',
      '-A SHOAL-VIP -d 10.0.1.2/32 -m comment --comment "web" -j DNAT --to-destination 10.0.1.9',
      '-A SHOAL-VIP -d 10.0.2.2/32 -m comment --comment "api" -j DNAT --to-destination 10.0.2.5',
      "COMMIT",
      "*filter",
      ":SHOAL-VIP - [0:0]",
      '-A SHOAL-VIP -d 10.0.1.3/32 -m comment --comment "idle" -j REJECT',
      "COMMIT",
      "",
    ]);
  });
});
