import { describe, expect, it } from "vitest";
import type { ChangeBatch } from "./changes.ts";
import { createTestStore } from "./testing/test-store.ts";

describe("secrets", () => {
  it("never show their data in lists, finds or watches; getWithData does", async () => {
    const { store } = createTestStore();
    const changes: ChangeBatch[] = [];
    const stop = new AbortController();
    const watching = (async () => {
      for await (const batch of store.watch({ fromVersion: 0, signal: stop.signal })) {
        changes.push(batch);
        stop.abort();
      }
    })();
    const { value: id } = await store.update((tx) =>
      tx.create("secret", { spec: { name: "db", labels: { a: "b" }, data: "aHVudGVyMg==" } }),
    );
    await watching;
    store.view((v) => {
      expect(v.secrets.get(id)?.spec).toEqual({ name: "db", labels: { a: "b" } });
      expect(v.secrets.all()[0]?.spec).not.toHaveProperty("data");
      expect(v.secrets.byName("db")?.spec).not.toHaveProperty("data");
      expect(v.secrets.getWithData(id)?.spec.data).toBe("aHVudGVyMg==");
    });
    expect(changes[0]?.changes[0]?.object.spec).not.toHaveProperty("data");
  });

  it("refuse data that is not base64", async () => {
    const { store } = createTestStore();
    await expect(
      store.update((tx) => tx.create("secret", { spec: { name: "db", labels: {}, data: "not base64!" } })),
    ).rejects.toMatchObject({ code: "invalid-object" });
  });
});
