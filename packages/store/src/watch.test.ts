import { describe, expect, it } from "vitest";
import type { ChangeBatch } from "./changes.ts";
import { makeNode, makeService } from "./testing/fixtures.ts";
import { createTestStore } from "./testing/test-store.ts";

/** Reads `count` batches from an iterable, then stops. */
async function take(changes: AsyncIterable<ChangeBatch>, count: number): Promise<ChangeBatch[]> {
  const out: ChangeBatch[] = [];
  if (count === 0) return out;
  for await (const batch of changes) {
    out.push(batch);
    if (out.length === count) break;
  }
  return out;
}

describe("watch", () => {
  it("replays every batch after fromVersion, then follows new ones", async () => {
    const { store } = createTestStore();
    await store.update((tx) => tx.create("node", makeNode(store.newId(), "h1"))); // 1
    await store.update((tx) => tx.create("node", makeNode(store.newId(), "h2"))); // 2
    await store.update((tx) => tx.create("node", makeNode(store.newId(), "h3"))); // 3
    const reading = take(store.watch({ fromVersion: 1 }), 3);
    await store.update((tx) => tx.create("service", makeService(store.newId(), "web"))); // 4
    const batches = await reading;
    expect(batches.map((b) => b.version)).toEqual([2, 3, 4]);
    expect(batches.map((b) => b.changes[0]?.kind)).toEqual(["node", "node", "service"]);
    expect(batches[0]?.changes[0]).toMatchObject({
      action: "create",
      object: { description: { hostname: "h2" } },
    });
  });

  it("gives the old object with an update and the last state with a delete", async () => {
    const { store } = createTestStore();
    const { value: id } = await store.update((tx) => tx.create("node", makeNode(store.newId(), "h1")));
    const watching = take(store.watch({ fromVersion: store.version }), 2);
    const node = store.view((v) => v.nodes.get(id)!);
    await store.update((tx) => tx.update("node", { ...node, spec: { ...node.spec, availability: "pause" } }));
    const updated = store.view((v) => v.nodes.get(id)!);
    await store.update((tx) => tx.delete("node", updated));
    const [update, remove] = await watching;
    expect(update?.changes[0]).toMatchObject({
      action: "update",
      old: { version: 1 },
      object: { version: 2 },
    });
    expect(remove?.changes[0]).toMatchObject({ action: "delete", object: { id, version: 2 } });
  });

  it("names the actor a writer gave", async () => {
    const { store } = createTestStore();
    const watching = take(store.watch({ fromVersion: 0 }), 1);
    await store.update((tx) => tx.create("node", makeNode(store.newId(), "h1")), {
      actor: "component:dispatcher",
    });
    expect((await watching)[0]?.actor).toBe("component:dispatcher");
  });

  it("filters by kind and skips batches the filter empties", async () => {
    const { store } = createTestStore();
    const watching = take(store.watch({ fromVersion: 0, kinds: ["service"] }), 1);
    await store.update((tx) => tx.create("node", makeNode(store.newId(), "h1")));
    await store.update((tx) => {
      tx.create("node", makeNode(store.newId(), "h2"));
      tx.create("service", makeService(store.newId(), "web"));
    });
    const [batch] = await watching;
    expect(batch?.version).toBe(2);
    expect(batch?.changes.map((c) => c.kind)).toEqual(["service"]);
  });

  it("does not show refused transactions", async () => {
    const { store } = createTestStore();
    const { value: id } = await store.update((tx) => tx.create("node", makeNode(store.newId(), "h1")));
    const stale = store.view((v) => v.nodes.get(id)!);
    await store.update((tx) => tx.update("node", stale));
    await expect(store.update((tx) => tx.update("node", stale))).rejects.toMatchObject({
      code: "version-conflict",
    });
    await store.update((tx) => tx.create("node", makeNode(store.newId(), "h2")));
    expect((await take(store.watch({ fromVersion: 0 }), 3)).map((b) => b.version)).toEqual([1, 2, 4]);
  });

  it("tells the caller to resync when the history no longer reaches fromVersion", async () => {
    const { store } = createTestStore({ history: { batchesMax: 2 } });
    for (let i = 0; i < 4; i++)
      await store.update((tx) => tx.create("node", makeNode(store.newId(), `h${i}`)));
    expect(() => store.watch({ fromVersion: 1 })).toThrow(
      expect.objectContaining({ code: "resync-required" }),
    );
    expect((await take(store.watch({ fromVersion: 2 }), 2)).map((b) => b.version)).toEqual([3, 4]);
  });

  it("bounds the history by changes as well as by batches", async () => {
    const { store } = createTestStore({ history: { changesMax: 3 } });
    await store.update((tx) => {
      for (let i = 0; i < 2; i++) tx.create("node", makeNode(store.newId(), `a${i}`));
    });
    await store.update((tx) => {
      for (let i = 0; i < 2; i++) tx.create("node", makeNode(store.newId(), `b${i}`));
    });
    expect(() => store.watch({ fromVersion: 0 })).toThrow(/no longer kept/);
    expect(() => store.watch({ fromVersion: 1 })).not.toThrow();
  });

  it("fails a watcher that falls behind the history while it is away", async () => {
    const { store } = createTestStore({ history: { batchesMax: 2 } });
    const iterator = store.watch({ fromVersion: 0 })[Symbol.asyncIterator]();
    await store.update((tx) => tx.create("node", makeNode(store.newId(), "h1")));
    expect((await iterator.next()).value?.version).toBe(1);
    for (let i = 0; i < 3; i++)
      await store.update((tx) => tx.create("node", makeNode(store.newId(), `x${i}`)));
    await expect(iterator.next()).rejects.toMatchObject({ code: "resync-required" });
  });

  it("ends when its signal aborts, also while waiting", async () => {
    const { store } = createTestStore();
    const stop = new AbortController();
    const iterator = store.watch({ fromVersion: 0, signal: stop.signal })[Symbol.asyncIterator]();
    const waiting = iterator.next();
    stop.abort();
    await expect(waiting).resolves.toEqual({ done: true, value: undefined });
  });

  it("asks every watcher to resync after a restore", async () => {
    const { store } = createTestStore();
    await store.update((tx) => tx.create("node", makeNode(store.newId(), "h1")));
    const iterator = store.watch({ fromVersion: 1 })[Symbol.asyncIterator]();
    const waiting = iterator.next();
    store.restore(store.snapshot());
    await expect(waiting).rejects.toMatchObject({ code: "resync-required" });
  });
});
