import type { EndpointsMessage } from "@shoal/rpc";
import { describe, expect, it } from "vitest";
import { applyEndpointsMessage, EndpointFollower } from "./endpoint-follower.ts";
import { backendPort, type MeshService, type MeshTable } from "./mesh-table.ts";

const service = (id: string, hostPort: number) =>
  JSON.stringify({
    serviceId: id,
    ports: [{ protocol: "tcp", publishedPort: 30001, targetPort: 80 }],
    backends: [
      { taskId: `${id}-t1`, address: "10.77.0.12", ports: [{ protocol: "tcp", targetPort: 80, hostPort }] },
    ],
  });

describe("endpoint follower", () => {
  it("applies a complete table, then whole-service replacements and removals", () => {
    const held = new Map<string, MeshService>();
    applyEndpointsMessage(held, {
      type: "COMPLETE",
      services_json: [service("a", 32800), service("b", 32801)],
      removed_service_ids: [],
    });
    applyEndpointsMessage(held, {
      type: "INCREMENTAL",
      services_json: [service("a", 32900)],
      removed_service_ids: ["b"],
    });
    expect([...held.keys()]).toEqual(["a"]);
    const a = held.get("a")!;
    expect(backendPort(a.backends[0]!, a.ports[0]!)).toBe(32900);
    applyEndpointsMessage(held, { type: "COMPLETE", services_json: [], removed_service_ids: [] });
    expect(held.size).toBe(0);
  });

  it("keeps overlay network entries apart from the mesh's services", () => {
    const held = new Map<string, MeshService>();
    const networks = new Map();
    const network = JSON.stringify({
      kind: "network",
      network: { id: "n1", spec: { name: "ov" }, ipam: [{ subnet: "10.0.9.0/24", gateway: "10.0.9.1" }] },
      nodes: [{ nodeId: "x", address: "10.77.0.11", index: 0 }],
      dns: [{ name: "web", endpointMode: "dnsrr", taskAddresses: ["10.0.9.3"] }],
    });
    applyEndpointsMessage(
      held,
      { type: "COMPLETE", services_json: [service("a", 32800), network], removed_service_ids: [] },
      networks,
    );
    expect([...held.keys()]).toEqual(["a"]);
    expect(networks.get("n1")?.nodes[0]?.address).toBe("10.77.0.11");
    applyEndpointsMessage(
      held,
      { type: "INCREMENTAL", services_json: [], removed_service_ids: ["network:n1"] },
      networks,
    );
    expect(networks.size).toBe(0);
    expect(held.size).toBe(1);
  });

  it("refuses a service of the wrong shape", () => {
    expect(() =>
      applyEndpointsMessage(new Map(), {
        type: "COMPLETE",
        services_json: ['{"serviceId":""}'],
        removed_service_ids: [],
      }),
    ).toThrow();
  });

  it("a backend without host ports is reached on the target port; one missing the port is skipped", () => {
    const port = { protocol: "tcp" as const, publishedPort: 30001, targetPort: 80 };
    expect(backendPort({ taskId: "t", address: "10.0.0.2" }, port)).toBe(80);
    expect(backendPort({ taskId: "t", address: "10.0.0.2", ports: [] }, port)).toBeUndefined();
  });

  it("feeds every message to the mesh and opens a new stream when one ends", async () => {
    const tables: MeshTable[] = [];
    let streams = 0;
    const follower = new EndpointFollower({
      retryMs: 5,
      apply: async (t) => void tables.push(t),
      source: {
        async *endpoints(): AsyncGenerator<EndpointsMessage> {
          streams++;
          yield { type: "COMPLETE", services_json: [service("a", 32800 + streams)], removed_service_ids: [] };
        },
      },
    });
    follower.start();
    while (streams < 2) await new Promise((r) => setTimeout(r, 5));
    await follower.stop();
    expect(tables.length).toBeGreaterThanOrEqual(2);
    expect(tables[1]?.services[0]?.backends[0]?.ports?.[0]?.hostPort).toBe(32802);
  });
});
