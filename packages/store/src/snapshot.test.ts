import { inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { seededRandomBytes } from "./objects/ids.ts";
import { TaskState } from "./objects/task-state.ts";
import { Store } from "./store.ts";
import { makeNode, makeService, makeTask } from "./testing/fixtures.ts";
import { LocalLog } from "./testing/local-log.ts";
import { createTestStore } from "./testing/test-store.ts";

async function populated() {
  const { store } = createTestStore();
  const serviceId = store.newId();
  await store.update((tx) => {
    tx.create("service", makeService(serviceId, "web", 20));
    tx.create("node", makeNode(store.newId(), "h1"));
    tx.create("secret", { spec: { name: "db-password", labels: {}, data: "aHVudGVyMg==" } });
  });
  const spec = store.view((v) => v.services.get(serviceId)!.spec.taskTemplate);
  await store.update((tx) => {
    for (let slot = 1; slot <= 20; slot++) tx.create("task", makeTask(store.newId(), serviceId, slot, spec));
  });
  const task = store.view((v) => v.tasks.bySlot(serviceId, 3)[0]!);
  await store.update((tx) =>
    tx.update("task", { ...task, status: { ...task.status, state: TaskState.Running } }),
  );
  return { store, serviceId };
}

describe("snapshot and restore", () => {
  it("round-trips the whole state, version and indexes included", async () => {
    const { store, serviceId } = await populated();
    const bytes = store.snapshot();
    const copy = new Store({ proposer: new LocalLog(), randomBytes: seededRandomBytes(5) });
    copy.restore(bytes);
    expect(copy.version).toBe(store.version);
    expect(Buffer.from(copy.snapshot()).equals(Buffer.from(bytes))).toBe(true);
    copy.view((v) => {
      expect(v.tasks.byService(serviceId)).toHaveLength(20);
      expect(v.tasks.byObservedState(TaskState.Running)).toHaveLength(1);
      expect(v.services.byName("web")?.id).toBe(serviceId);
      expect(v.secrets.getWithData(v.secrets.byName("db-password")!.id)?.spec.data).toBe("aHVudGVyMg==");
    });
    copy.checkInvariants();
  });

  it("writes a shared task spec once", async () => {
    const { store } = await populated();
    const text = inflateRawSync(store.snapshot().subarray(1)).toString("utf8");
    expect(text.split('"containerSpec"').length - 1).toBe(2); // the service's and the tasks' one
  });

  it("continues applying the log after a restore", async () => {
    const { store } = await populated();
    const log = new LocalLog();
    const follower = log.attach(new Store({ proposer: log, randomBytes: seededRandomBytes(8) }));
    follower.restore(store.snapshot());
    const node = follower.view((v) => v.nodes.all()[0]!);
    log.startAfter(store.version);
    const { version } = await follower.update((tx) =>
      tx.update("node", { ...node, spec: { ...node.spec, labels: { x: "y" } } }),
    );
    expect(version).toBe(store.version + 1);
    expect(follower.view((v) => v.nodes.get(node.id)?.version)).toBe(version);
  });

  it("refuses malformed snapshots and keeps the old state", async () => {
    const { store } = await populated();
    const before = store.snapshot();
    expect(() => store.restore(new Uint8Array([1, 123]))).toThrow(
      expect.objectContaining({ code: "invalid-snapshot" }),
    );
    expect(() => store.restore(new Uint8Array([7]))).toThrow(/format/);
    const text = inflateRawSync(before.subarray(1))
      .toString("utf8")
      .replace('"replicas":20', '"replicas":-1');
    const tampered = new Uint8Array([1, ...new TextEncoder().encode(text)]); // format 1: plain JSON
    expect(() => store.restore(tampered)).toThrow(expect.objectContaining({ code: "invalid-object" }));
    expect(Buffer.from(store.snapshot()).equals(Buffer.from(before))).toBe(true);
  });
});
