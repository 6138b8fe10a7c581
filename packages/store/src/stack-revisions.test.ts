import { describe, expect, it } from "vitest";
import { createTestStore } from "./testing/test-store.ts";

const revision = (name: string, revision: number) => ({
  spec: { name, revision, yaml: 'version: "3.9"\n', services: [], pruned: [], created: 0, updated: 0 },
});

describe("stack revisions", () => {
  it("are found per stack, oldest first, and by number, and survive a snapshot", async () => {
    const { store } = createTestStore({ validateObjects: true });
    await store.update((tx) => {
      tx.create("stackRevision", revision("shop", 2));
      tx.create("stackRevision", revision("shop", 1));
      tx.create("stackRevision", revision("blog", 1));
    });
    const check = (s: typeof store) =>
      s.view((v) => {
        expect(v.stackRevisions.byStack("shop").map((r) => r.spec.revision)).toEqual([1, 2]);
        expect(v.stackRevisions.byRevision("blog", 1)?.spec.name).toBe("blog");
        expect(v.stackRevisions.byRevision("blog", 2)).toBeUndefined();
      });
    check(store);
    const { store: copy } = createTestStore();
    copy.restore(store.snapshot());
    check(copy);
    store.checkInvariants();
  });

  it("refuse the same revision number twice for one stack", async () => {
    const { store } = createTestStore();
    await store.update((tx) => tx.create("stackRevision", revision("shop", 1)));
    await expect(store.update((tx) => tx.create("stackRevision", revision("shop", 1)))).rejects.toMatchObject(
      {
        code: "name-conflict",
      },
    );
  });
});
