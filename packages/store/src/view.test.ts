import { describe, expect, it } from "vitest";
import type { ChangeBatch } from "./changes.ts";
import type { ReadView } from "./read-view.ts";
import { makeNode } from "./testing/fixtures.ts";
import { createTestStore } from "./testing/test-store.ts";

describe("views", () => {
  it("refuse reads after their callback returned", () => {
    const { store } = createTestStore();
    let escaped: ReadView | undefined;
    store.view((v) => {
      escaped = v;
    });
    expect(() => escaped?.nodes.all()).toThrow(expect.objectContaining({ code: "view-expired" }));
  });

  it("refuse async callbacks", () => {
    const { store } = createTestStore();
    expect(() => store.view(async () => 1)).toThrow(/synchronous/);
  });

  it("see the state the transaction was built on, not its own writes", async () => {
    const { store } = createTestStore();
    await store.update((tx) => {
      tx.create("node", makeNode(store.newId(), "h1"));
      expect(tx.nodes.count()).toBe(0);
    });
    expect(store.view((v) => v.nodes.count())).toBe(1);
  });
});

describe("viewAndWatch", () => {
  it("gives a snapshot and exactly the changes after it, even with writes in flight", async () => {
    const { store, log } = createTestStore({ hold: true });
    const first = store.update((tx) => tx.create("node", makeNode(store.newId(), "h1")));
    const second = store.update((tx) => tx.create("node", makeNode(store.newId(), "h2")));
    log.commit();
    await Promise.all([first, second]);
    // A third write is proposed but not yet committed when the snapshot is taken.
    const third = store.update((tx) => tx.create("node", makeNode(store.newId(), "h3")));
    const stop = new AbortController();
    const { snapshot, version, changes } = store.viewAndWatch(stop.signal);
    expect(version).toBe(2);
    expect(
      snapshot.nodes
        .all()
        .map((n) => n.description?.hostname)
        .sort(),
    ).toEqual(["h1", "h2"]);
    log.commit();
    await third;
    const seen: ChangeBatch[] = [];
    for await (const batch of changes) {
      seen.push(batch);
      stop.abort();
    }
    expect(seen.map((b) => b.version)).toEqual([3]);
    expect(seen[0]?.changes[0]).toMatchObject({ object: { description: { hostname: "h3" } } });
  });

  it("lets the snapshot expire once the store applies a later change", async () => {
    const { store } = createTestStore();
    const { snapshot } = store.viewAndWatch();
    expect(snapshot.nodes.count()).toBe(0);
    await store.update((tx) => tx.create("node", makeNode(store.newId(), "h1")));
    expect(snapshot.isCurrent()).toBe(false);
    expect(() => snapshot.nodes.count()).toThrow(/moved on/);
  });

  it("asks for a resync when the store is restored before the first read", async () => {
    const { store } = createTestStore();
    await store.update((tx) => tx.create("node", makeNode(store.newId(), "h1")));
    const { changes } = store.viewAndWatch();
    store.restore(store.snapshot());
    await expect(changes[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: "resync-required" });
  });

  it("filters its changes by kind", async () => {
    const { store } = createTestStore();
    const stop = new AbortController();
    const { changes } = store.viewAndWatch(stop.signal, ["service"]);
    await store.update((tx) => tx.create("node", makeNode(store.newId(), "h1")));
    stop.abort();
    const seen: ChangeBatch[] = [];
    for await (const batch of changes) seen.push(batch);
    expect(seen).toEqual([]);
  });
});
