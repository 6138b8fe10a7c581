import { describe, expect, it } from "vitest";
import { StoreError } from "./errors.ts";
import { seededRandomBytes } from "./objects/ids.ts";
import { TaskState } from "./objects/task-state.ts";
import { Store } from "./store.ts";
import { makeNode, makeService, makeTask } from "./testing/fixtures.ts";
import { LocalLog } from "./testing/local-log.ts";
import { createTestStore } from "./testing/test-store.ts";

describe("applying committed transactions", () => {
  it("creates objects at the Raft index of their entry, stamped with the proposer's clock", async () => {
    const { store, clock } = createTestStore();
    clock.nowMs = 5_000;
    const { version, value: id } = await store.update((tx) =>
      tx.create("service", makeService(store.newId(), "web")),
    );
    expect(version).toBe(1);
    const service = store.view((v) => v.services.get(id));
    expect(service).toMatchObject({ id, version: 1, createdAtMs: 5_000, updatedAtMs: 5_000 });
    expect(service?.spec.name).toBe("web");
    expect(store.version).toBe(1);
  });

  it("keeps createdAtMs and moves version and updatedAtMs on update", async () => {
    const { store, clock } = createTestStore();
    const { value: id } = await store.update((tx) => tx.create("service", makeService(store.newId(), "web")));
    clock.nowMs = 9_000;
    const read = store.view((v) => v.services.get(id)!);
    const { version } = await store.update((tx) =>
      tx.update("service", { ...read, spec: { ...read.spec, labels: { tier: "front" } } }),
    );
    expect(version).toBe(2);
    expect(store.view((v) => v.services.get(id))).toMatchObject({
      version: 2,
      createdAtMs: 1_000,
      updatedAtMs: 9_000,
      spec: { labels: { tier: "front" } },
    });
  });

  it("commits all operations of a transaction or none", async () => {
    const { store } = createTestStore();
    await store.update((tx) => tx.create("service", makeService("a".repeat(25), "web")));
    const attempt = store.update((tx) => {
      tx.create("service", makeService("b".repeat(25), "api"));
      tx.create("service", makeService("c".repeat(25), "web")); // name taken: refuses the whole transaction
    });
    await expect(attempt).rejects.toMatchObject({ code: "name-conflict" });
    expect(store.view((v) => v.services.count())).toBe(1);
    expect(store.view((v) => v.services.byName("api"))).toBeUndefined();
    expect(store.version).toBe(2); // the refused entry was applied (as a refusal) all the same
  });

  it("stores frozen objects: changing one in place throws", async () => {
    const { store } = createTestStore();
    const { value: id } = await store.update((tx) => tx.create("service", makeService(store.newId(), "web")));
    const service = store.view((v) => v.services.get(id)!);
    expect(() => {
      (service.spec as { name: string }).name = "other";
    }).toThrow(TypeError);
  });

  it("refuses malformed entries with invalid-transaction, identically and without changes", () => {
    const store = new Store({ proposer: new LocalLog() });
    const result = store.applyCommitted(1, new Uint8Array([1, 123, 34]));
    expect(result).toMatchObject({ ok: false, version: 1, error: { code: "invalid-transaction" } });
    expect(store.applyCommitted(2, new Uint8Array([9]))).toMatchObject({ ok: false });
    expect(store.version).toBe(2);
  });

  it("treats empty entries as no-ops that advance the version", () => {
    const store = new Store({ proposer: new LocalLog() });
    expect(store.applyCommitted(3, new Uint8Array())).toEqual({ ok: true, version: 3, changeCount: 0 });
    expect(store.version).toBe(3);
  });

  it("asserts that entries come in increasing index order", () => {
    const store = new Store({ proposer: new LocalLog() });
    store.applyCommitted(2, new Uint8Array());
    expect(() => store.applyCommitted(2, new Uint8Array())).toThrow(/applied in order/);
  });

  it("refuses an object that fails its schema when the transaction is built", async () => {
    const { store } = createTestStore();
    const bad = { ...makeService(store.newId(), "web") };
    (bad.spec as { mode: unknown }).mode = { replicated: { replicas: -1 } };
    await expect(store.update((tx) => tx.create("service", bad))).rejects.toThrow(/mode/);
    await expect(store.update((tx) => tx.create("service", bad))).rejects.toBeInstanceOf(StoreError);
  });

  it("refuses the same object twice in one transaction", async () => {
    const { store } = createTestStore();
    const id = store.newId();
    await expect(
      store.update((tx) => {
        tx.create("node", makeNode(id, "h1"));
        tx.delete("node", { id, version: 0 });
      }),
    ).rejects.toMatchObject({ code: "invalid-transaction" });
  });

  it("two stores applying the same log reach identical snapshots", async () => {
    const log = new LocalLog();
    const a = log.attach(new Store({ proposer: log, randomBytes: seededRandomBytes(7), clock: () => 42 }));
    const b = log.attach(new Store({ proposer: new LocalLog(), randomBytes: seededRandomBytes(99) }));
    const serviceId = a.newId();
    await a.update((tx) => {
      tx.create("service", makeService(serviceId, "web", 3));
      tx.create("node", makeNode(a.newId(), "h1"));
    });
    await a.batch((tx) => {
      for (let slot = 1; slot <= 50; slot++) tx.create("task", makeTask(a.newId(), serviceId, slot));
    });
    const tasks = a.view((v) => v.tasks.byService(serviceId));
    await a.update((tx) => {
      for (const task of tasks.slice(0, 10)) tx.update("task", { ...task, desiredState: TaskState.Shutdown });
      for (const task of tasks.slice(10, 15)) tx.delete("task", task);
    });
    // A refused transaction is refused on both.
    await expect(a.update((tx) => tx.delete("task", tasks[0]!))).rejects.toMatchObject({
      code: "version-conflict",
    });
    expect(a.version).toBe(b.version);
    expect(Buffer.from(a.snapshot()).equals(Buffer.from(b.snapshot()))).toBe(true);
    a.checkInvariants();
    b.checkInvariants();
  });
});
