import { createTestStore } from "@shoal/store/testing";
import { describe, expect, it } from "vitest";
import { AddressPool, nodeAddressCount } from "./address-pool.ts";
import { AllocatorState, VXLAN_ID_OPTION } from "./allocator-state.ts";
import { parseSubnet } from "./ipv4.ts";
import { SubnetAllocator } from "./subnet-allocator.ts";
import { network, newTask, service, testId } from "./test-kit.ts";

describe("IPAM", () => {
  it("cuts /24s from 10.0.0.0/8 in order, honours a given subnet, refuses overlaps", () => {
    const subnets = new SubnetAllocator();
    expect(subnets.subnetOf("a") ?? "").toBe("");
    subnets.allocate("a");
    subnets.allocate("b", "10.0.1.0/24");
    subnets.allocate("c");
    expect(["a", "b", "c"].map((id) => subnets.subnetOf(id))).toEqual([
      "10.0.0.0/24",
      "10.0.1.0/24",
      "10.0.2.0/24",
    ]);
    expect(() => subnets.allocate("d", "10.0.0.0/16")).toThrow(
      expect.objectContaining({ code: "invalid-subnet" }),
    );
    expect(() => subnets.allocate("d", "10.0.0.1/24")).toThrow(/host bits set/);
    subnets.release("a");
    subnets.allocate("e");
    expect(subnets.subnetOf("e")).toBe("10.0.0.0/24");
    const tiny = new SubnetAllocator({ pools: ["192.168.0.0/23"], subnetSize: 24 });
    tiny.allocate("a");
    tiny.allocate("b");
    expect(() => tiny.allocate("c")).toThrow(expect.objectContaining({ code: "subnets-exhausted" }));
  });

  it("hands out the lowest free address, never network, gateway, the nodes' or broadcast, and reuses freed ones", () => {
    const pool = new AddressPool("net", parseSubnet("10.0.5.0/29"));
    expect(pool.gateway).toBe("10.0.5.1");
    // .5 and .6 are the nodes' own addresses (a quarter of the subnet, counted down from the top).
    const got = [1, 2, 3].map(() => pool.allocate());
    expect(got).toEqual(["10.0.5.2/29", "10.0.5.3/29", "10.0.5.4/29"]);
    expect(() => pool.allocate()).toThrow(expect.objectContaining({ code: "addresses-exhausted" }));
    const base = parseSubnet("10.0.5.0/29").base;
    expect(pool.reserve(base + 6)).toBe(false);
    expect(pool.isUsed(base + 5)).toBe(true);
    pool.release(base + 4);
    expect(pool.allocate()).toBe("10.0.5.4/29");
    expect(nodeAddressCount(256)).toBe(64);
    expect(nodeAddressCount(65_536)).toBe(64);
  });

  it("gives overlay networks the lowest free VXLAN id from 4096 and keeps it on rebuild", () => {
    const state = new AllocatorState();
    const stored = <T>(o: T) => ({ ...o, version: 1, createdAtMs: 0, updatedAtMs: 0 });
    const a = state.allocateNetwork(stored(network(1)));
    const b = state.allocateNetwork(stored(network(2)));
    expect(a.driverState?.options[VXLAN_ID_OPTION]).toBe("4096");
    expect(b.driverState?.options[VXLAN_ID_OPTION]).toBe("4097");
    state.removeNetwork(a.id);
    const c = state.allocateNetwork(stored(network(3)));
    expect(c.driverState?.options[VXLAN_ID_OPTION]).toBe("4096");
    const rebuilt = new AllocatorState();
    rebuilt.putNetwork(b);
    expect(rebuilt.allocateNetwork(stored(network(4))).driverState?.options[VXLAN_ID_OPTION]).toBe("4096");
  });

  it("allocates one VIP per service per network and one address per task per network, freed on removal", () => {
    const state = new AllocatorState();
    const stored = <T>(o: T) => ({ ...o, version: 1, createdAtMs: 0, updatedAtMs: 0 });
    const ingress = state.allocateNetwork(stored(network(1, { ingress: true })));
    const overlay = state.allocateNetwork(stored(network(2)));
    expect(ingress.ipam).toEqual([{ subnet: "10.0.0.0/24", gateway: "10.0.0.1" }]);
    expect(overlay.ipam[0]?.subnet).toBe("10.0.1.0/24");
    const svc = stored(service(1, [2], [[80, 0]]));
    const endpoint = state.allocateService(svc);
    expect(endpoint?.virtualIps).toEqual([
      { networkId: testId("w", 1), addr: "10.0.0.2/24" },
      { networkId: testId("w", 2), addr: "10.0.1.2/24" },
    ]);
    const withEndpoint = { ...svc, endpoint: endpoint as NonNullable<typeof endpoint> };
    expect(state.isServiceAllocated(withEndpoint)).toBe(true);
    const t1 = state.allocateTask(stored(newTask(1, 1, [2])), withEndpoint, 5);
    const t2 = state.allocateTask(stored(newTask(2, 1, [2])), withEndpoint, 5);
    expect(t1?.networksAttachments.map((a) => a.addresses[0])).toEqual(["10.0.0.3/24", "10.0.1.3/24"]);
    expect(t2?.networksAttachments.map((a) => a.addresses[0])).toEqual(["10.0.0.4/24", "10.0.1.4/24"]);
    expect(t1?.networksAttachments[1]?.aliases).toEqual(["svc-1"]);
    expect(t1?.status.message).toBe("pending task scheduling");
    state.removeTask(testId("t", 1));
    const t3 = state.allocateTask(stored(newTask(3, 1, [2])), withEndpoint, 5);
    expect(t3?.networksAttachments.map((a) => a.addresses[0])).toEqual(["10.0.0.3/24", "10.0.1.3/24"]);
    state.removeService(testId("s", 1));
    expect(state.ports.owner("tcp", 30000)).toBeUndefined();
    expect(state.pools.get(testId("w", 2))?.allocatedCount).toBe(2);
  });

  it("waits for a service's networks, and rebuilds the same state from the store", async () => {
    const { store } = createTestStore();
    const state = new AllocatorState();
    const stored = <T>(o: T) => ({ ...o, version: 1, createdAtMs: 0, updatedAtMs: 0 });
    const svc = stored(service(1, [1]));
    expect(state.allocateService(svc)).toBeUndefined();
    const net = state.allocateNetwork(stored(network(1)));
    const endpoint = state.allocateService(svc);
    const task = state.allocateTask(stored(newTask(1, 1, [1])), { ...svc, endpoint: endpoint! }, 5);
    await store.update((tx) => {
      tx.create("network", net);
      tx.create("service", { ...svc, endpoint: endpoint! });
      tx.create("task", task!);
    });
    const rebuilt = store.view((v) => AllocatorState.fromView(v));
    const next = rebuilt.allocateTask(stored(newTask(2, 1, [1])), { ...svc, endpoint: endpoint! }, 5);
    expect(next?.networksAttachments[0]?.addresses).toEqual(["10.0.0.4/24"]);
    expect(rebuilt.allocateNetwork(stored(network(2))).ipam[0]?.subnet).toBe("10.0.1.0/24");
  });
});
