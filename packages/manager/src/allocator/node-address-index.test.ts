import { createTestStore, makeNode } from "@shoal/store/testing";
import { describe, expect, it, vi } from "vitest";
import { nodeAddressOn } from "./address-pool.ts";
import { Allocator } from "./allocator.ts";
import { createCluster } from "./test-kit.ts";

const nodeId = (i: number) => `n${String(i).padStart(24, "0")}`;
const opts = { debounce: { gapMs: 5, delayMsMax: 50 } };

describe("node address index (stored by the allocator)", () => {
  it("gives each node the lowest free slot, keeps it across a new leader and a snapshot, frees it on node rm", async () => {
    const { store } = createTestStore();
    await createCluster(store);
    await store.update((tx) => {
      for (const i of [1, 2, 3]) tx.create("node", makeNode(nodeId(i), `host-${i}`));
    });
    const indexes = (s = store) =>
      s.view((v) => Object.fromEntries(v.nodes.all().map((n) => [n.id, n.networkAddressIndex])));
    let allocator = new Allocator(store, opts);
    allocator.start();
    await vi.waitFor(() => expect(Object.values(indexes()).sort()).toEqual([0, 1, 2]));
    const first = indexes();

    // The oldest node leaves: the others keep their addresses (nothing is derived from creation order).
    await store.update((tx) => tx.delete("node", tx.nodes.get(nodeId(1))!));
    await store.update((tx) => tx.create("node", makeNode(nodeId(4), "host-4")));
    await vi.waitFor(() => expect(indexes()[nodeId(4)]).toBe(first[nodeId(1)]));
    expect([indexes()[nodeId(2)], indexes()[nodeId(3)]]).toEqual([first[nodeId(2)], first[nodeId(3)]]);

    // A new leader rebuilds from the store: held slots are not handed out again.
    await allocator.stop();
    await store.update((tx) => tx.create("node", makeNode(nodeId(5), "host-5")));
    allocator = new Allocator(store, opts);
    allocator.start();
    await vi.waitFor(() => expect(indexes()[nodeId(5)]).toBe(3));
    await allocator.stop();

    // A manager restored from a snapshot has the same slots.
    const { store: restored } = createTestStore();
    restored.restore(store.snapshot());
    expect(indexes(restored)).toEqual(indexes());
  });

  it("lets nodes beyond the 64 slots wait, says so once, and gives them a slot a removed node frees", async () => {
    const { store } = createTestStore();
    await createCluster(store);
    await store.update((tx) => {
      for (let i = 1; i <= 66; i++) tx.create("node", makeNode(nodeId(i), `host-${i}`));
    });
    const errors: unknown[] = [];
    const allocator = new Allocator(store, { ...opts, onError: (e) => errors.push(e) });
    allocator.start();
    const held = () => store.view((v) => v.nodes.all().filter((n) => n.networkAddressIndex !== undefined));
    await vi.waitFor(() => expect(held()).toHaveLength(64));
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toMatchObject({ code: "addresses-exhausted" });
    expect(String((errors[0] as Error).message)).toMatch(/^2 nodes get no address on overlay networks/);
    // More passes (a new node) do not repeat the report.
    await store.update((tx) => tx.create("node", makeNode(nodeId(67), "host-67")));
    await store.update((tx) => tx.delete("node", tx.nodes.get(nodeId(5))!));
    // Node 5 held slot 4: a waiting node gets it.
    await vi.waitFor(() =>
      expect(store.view((v) => v.nodes.all().some((n) => n.networkAddressIndex === 4))).toBe(true),
    );
    expect(held()).toHaveLength(64);
    const waiting = store.view((v) => v.nodes.all().filter((n) => n.networkAddressIndex === undefined));
    expect(waiting).toHaveLength(2);
    expect(errors).toHaveLength(1);
    await allocator.stop();
  });

  it("puts a node's own address on a network at broadcast − 1 − its index, inside the nodes' quarter", () => {
    expect(nodeAddressOn("10.0.9.0/24", 0)).toBe("10.0.9.254");
    expect(nodeAddressOn("10.0.9.0/24", 3)).toBe("10.0.9.251");
    expect(nodeAddressOn("10.0.9.0/24", 64)).toBeUndefined();
    expect(nodeAddressOn("10.0.5.0/29", 1)).toBe("10.0.5.5");
    expect(nodeAddressOn("10.0.5.0/29", 2)).toBeUndefined();
  });
});
