import { describe, expect, it } from "vitest";
import { StoreError } from "./errors.ts";
import { makeNode } from "./testing/fixtures.ts";
import { createTestStore } from "./testing/test-store.ts";

describe("optimistic concurrency", () => {
  it("refuses an update that carries a version older than the stored one", async () => {
    const { store } = createTestStore();
    const { value: id } = await store.update((tx) => tx.create("node", makeNode(store.newId(), "h1")));
    const read = store.view((v) => v.nodes.get(id)!);
    await store.update((tx) => tx.update("node", { ...read, spec: { ...read.spec, availability: "drain" } }));

    const stale = store.update((tx) =>
      tx.update("node", { ...read, spec: { ...read.spec, availability: "pause" } }),
    );
    await expect(stale).rejects.toBeInstanceOf(StoreError);
    await expect(
      store.update((tx) => tx.update("node", { ...read, spec: { ...read.spec, availability: "pause" } })),
    ).rejects.toMatchObject({
      code: "version-conflict",
      kind: "node",
      id,
      message: expect.stringContaining("changed since you read it"),
    });
    expect(store.view((v) => v.nodes.get(id)?.spec.availability)).toBe("drain");
  });

  it("lets exactly one of two writers that read the same version win", async () => {
    const { store, log } = createTestStore({ hold: true });
    const created = store.update((tx) => tx.create("node", makeNode(store.newId(), "h1")));
    log.commit();
    const { value: id } = await created;
    const read = store.view((v) => v.nodes.get(id)!);
    const first = store.update((tx) =>
      tx.update("node", { ...read, spec: { ...read.spec, labels: { a: "1" } } }),
    );
    const second = store.update((tx) =>
      tx.update("node", { ...read, spec: { ...read.spec, labels: { b: "2" } } }),
    );
    log.commit();
    await expect(first).resolves.toMatchObject({ version: 2 });
    await expect(second).rejects.toMatchObject({ code: "version-conflict" });
    expect(store.view((v) => v.nodes.get(id)?.spec.labels)).toEqual({ a: "1" });
  });

  it("refuses a stale delete, a delete or update of a missing object, and a create of an existing id", async () => {
    const { store } = createTestStore();
    const { value: id } = await store.update((tx) => tx.create("node", makeNode(store.newId(), "h1")));
    const read = store.view((v) => v.nodes.get(id)!);
    await store.update((tx) => tx.update("node", read));
    await expect(store.update((tx) => tx.delete("node", read))).rejects.toMatchObject({
      code: "version-conflict",
    });
    const current = store.view((v) => v.nodes.get(id)!);
    await store.update((tx) => tx.delete("node", current));
    await expect(store.update((tx) => tx.delete("node", current))).rejects.toMatchObject({
      code: "not-found",
    });
    await expect(store.update((tx) => tx.update("node", current))).rejects.toMatchObject({
      code: "not-found",
    });
    const { value: other } = await store.update((tx) => tx.create("node", makeNode(store.newId(), "h2")));
    await expect(store.update((tx) => tx.create("node", makeNode(other, "h3")))).rejects.toMatchObject({
      code: "exists",
    });
  });
});
