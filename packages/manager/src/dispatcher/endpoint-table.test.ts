import { TaskState } from "@shoal/store";
import { createTestStore, makeNode, makeOverlayNetwork, makeService, makeTask } from "@shoal/store/testing";
import { describe, expect, it } from "vitest";
import { endpointsDiff, endpointTable, NETWORK_KEY_PREFIX, networkEntries } from "./endpoint-table.ts";

describe("endpoint table diff", () => {
  it("sends everything first, then only changed and removed services, nothing when equal", () => {
    const first = new Map([
      ["a", '{"serviceId":"a","n":1}'],
      ["b", '{"serviceId":"b"}'],
    ]);
    expect(endpointsDiff(first, undefined)).toEqual({
      type: "COMPLETE",
      services_json: ['{"serviceId":"a","n":1}', '{"serviceId":"b"}'],
      removed_service_ids: [],
    });
    expect(endpointsDiff(first, new Map(first))).toBeUndefined();
    const next = new Map([
      ["a", '{"serviceId":"a","n":2}'],
      ["c", '{"serviceId":"c"}'],
    ]);
    expect(endpointsDiff(next, new Map(first))).toEqual({
      type: "INCREMENTAL",
      services_json: ['{"serviceId":"a","n":2}', '{"serviceId":"c"}'],
      removed_service_ids: ["b"],
    });
  });
});

describe("network entries", () => {
  it("list each overlay's nodes with live tasks (peers, stored index) and its DNS names", async () => {
    const { store } = createTestStore();
    const id = (k: string, i: number) => `${k}${String(i).padStart(24, "0")}`;
    const net = id("w", 1);
    const svc = makeService(id("s", 1), "st_web");
    svc.spec.labels = { "com.docker.stack.namespace": "st" };
    const task = (i: number, nodeId: string, addr: string, desired = TaskState.Running) => ({
      ...makeTask(id("t", i), svc.id, i),
      nodeId,
      desiredState: desired,
      status: { state: TaskState.Running, message: "", timestampMs: 0 },
      networksAttachments: [{ networkId: net, addresses: [addr], aliases: [] }],
    });
    await store.update((tx) => {
      tx.create("node", {
        ...makeNode(id("n", 2), "b"),
        status: { state: "ready", message: "", addr: "10.77.0.12" },
        networkAddressIndex: 0,
      });
      tx.create("node", {
        ...makeNode(id("n", 1), "a"),
        status: { state: "ready", message: "", addr: "10.77.0.11" },
        networkAddressIndex: 5,
      });
      tx.create("node", {
        ...makeNode(id("n", 3), "c"),
        status: { state: "ready", message: "", addr: "10.77.0.13" },
      });
      tx.create(
        "network",
        makeOverlayNetwork(net, "ov", { allocated: { subnet: "10.0.9.0/24", gateway: "10.0.9.1" } }),
      );
      tx.create("service", {
        ...svc,
        endpoint: {
          spec: svc.spec.endpointSpec,
          ports: [],
          virtualIps: [{ networkId: net, addr: "10.0.9.2/24" }],
        },
      });
      tx.create("task", task(1, id("n", 1), "10.0.9.3/24"));
      tx.create("task", task(2, id("n", 2), "10.0.9.4/24", TaskState.Shutdown));
      tx.create("task", task(3, id("n", 3), "10.0.9.5/24"));
    });
    const entry = store.view((v) => networkEntries(v)).get(net)!;
    expect(entry.network.ipam[0]?.subnet).toBe("10.0.9.0/24");
    // Node 2's task is shutting down but its container still runs: it stays a peer, out of DNS.
    // Node 3 has no index yet (the allocator gives it one): it is no peer until then.
    expect(entry.nodes.map((n) => [n.address, n.index]).sort()).toEqual([
      ["10.77.0.11", 5],
      ["10.77.0.12", 0],
    ]);
    expect(entry.dns).toEqual([
      {
        name: "st_web",
        stackNamespace: "st",
        endpointMode: "vip",
        vip: "10.0.9.2",
        taskAddresses: ["10.0.9.3", "10.0.9.5"],
      },
    ]);
    const table = store.view((v) => endpointTable(v));
    expect(JSON.parse(table.get(`${NETWORK_KEY_PREFIX}${net}`)!).kind).toBe("network");
  });
});
