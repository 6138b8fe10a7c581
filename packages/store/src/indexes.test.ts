import { describe, expect, it } from "vitest";
import type { Task } from "./objects/task.ts";
import { TaskState } from "./objects/task-state.ts";
import type { Store } from "./store.ts";
import { makeNode, makeService, makeTask } from "./testing/fixtures.ts";
import { createTestStore } from "./testing/test-store.ts";

const ids = (objects: readonly { id: string }[]) => objects.map((o) => o.id).sort();

/** Two services, two nodes, tasks spread over them; returns the ids. */
async function populate(store: Store) {
  const [web, api, n1, n2] = [store.newId(), store.newId(), store.newId(), store.newId()];
  await store.update((tx) => {
    tx.create("service", makeService(web, "web", 3));
    tx.create("service", makeService(api, "api", 1));
    tx.create("node", makeNode(n1, "h1", "manager"));
    tx.create("node", { ...makeNode(n2, "h2"), spec: { labels: {}, role: "worker", availability: "drain" } });
    for (let slot = 1; slot <= 3; slot++)
      tx.create("task", { ...makeTask(store.newId(), web, slot), nodeId: n1 });
    tx.create("task", { ...makeTask(store.newId(), api, 1), nodeId: n2 });
  });
  return { web, api, n1, n2 };
}

describe("indexes", () => {
  it("finds tasks by service, node, slot, desired state and observed state", async () => {
    const { store } = createTestStore();
    const { web, api, n1, n2 } = await populate(store);
    store.view((v) => {
      expect(v.tasks.byService(web)).toHaveLength(3);
      expect(v.tasks.countByService(api)).toBe(1);
      expect(v.tasks.byNode(n1)).toHaveLength(3);
      expect(v.tasks.byNode(n2).map((t) => t.serviceId)).toEqual([api]);
      expect(v.tasks.bySlot(web, 2)).toHaveLength(1);
      expect(v.tasks.bySlot(web, 4)).toEqual([]);
      expect(v.tasks.byDesiredState(TaskState.Running)).toHaveLength(4);
      expect(v.tasks.byObservedState(TaskState.New)).toHaveLength(4);
      expect(v.tasks.byObservedState(TaskState.Running)).toEqual([]);
    });
  });

  it("moves tasks between buckets when they change and drops them when deleted", async () => {
    const { store } = createTestStore();
    const { web, n1, n2 } = await populate(store);
    const [t1, t2] = store.view((v) => v.tasks.bySlot(web, 1).concat(v.tasks.bySlot(web, 2))) as [Task, Task];
    await store.update((tx) => {
      tx.update("task", {
        ...t1,
        nodeId: n2,
        desiredState: TaskState.Shutdown,
        status: { ...t1.status, state: TaskState.Running },
      });
      tx.delete("task", t2);
      // A replacement in slot 1: the slot now holds the old task and the new one.
      tx.create("task", { ...makeTask(store.newId(), web, 1), nodeId: n1 });
    });
    store.view((v) => {
      expect(v.tasks.byNode(n2).map((t) => t.id)).toContain(t1.id);
      expect(v.tasks.byNode(n1).map((t) => t.id)).not.toContain(t1.id);
      expect(v.tasks.byDesiredState(TaskState.Shutdown).map((t) => t.id)).toEqual([t1.id]);
      expect(v.tasks.byObservedState(TaskState.Running).map((t) => t.id)).toEqual([t1.id]);
      expect(v.tasks.bySlot(web, 1)).toHaveLength(2);
      expect(v.tasks.bySlot(web, 2)).toEqual([]);
      expect(v.tasks.byService(web)).toHaveLength(3);
    });
    store.checkInvariants();
  });

  it("leaves unassigned tasks and global tasks (slot 0) out of the node and slot indexes", async () => {
    const { store } = createTestStore();
    const { web } = await populate(store);
    await store.update((tx) => tx.create("task", makeTask(store.newId(), web, 0)));
    store.view((v) => {
      expect(v.tasks.bySlot(web, 0)).toEqual([]);
      expect(v.tasks.byNode("")).toEqual([]);
      expect(v.tasks.byService(web)).toHaveLength(4);
    });
  });

  it("finds nodes by role, availability, state and name, and objects by unique name", async () => {
    const { store } = createTestStore();
    const { n1, n2, web } = await populate(store);
    store.view((v) => {
      expect(ids(v.nodes.byRole("manager"))).toEqual([n1]);
      expect(ids(v.nodes.byRole("worker"))).toEqual([n2]);
      expect(ids(v.nodes.byAvailability("drain"))).toEqual([n2]);
      expect(ids(v.nodes.byAvailability("active"))).toEqual([n1]);
      expect(ids(v.nodes.byState("ready"))).toEqual([n1, n2].sort());
      expect(ids(v.nodes.byName("h2"))).toEqual([n2]);
      expect(v.services.byName("web")?.id).toBe(web);
      expect(v.services.byName("nope")).toBeUndefined();
    });
    // spec.name, when set, names the node instead of its hostname.
    const node = store.view((v) => v.nodes.get(n2)!);
    await store.update((tx) => tx.update("node", { ...node, spec: { ...node.spec, name: "edge-1" } }));
    store.view((v) => {
      expect(ids(v.nodes.byName("edge-1"))).toEqual([n2]);
      expect(v.nodes.byName("h2")).toEqual([]);
    });
    store.checkInvariants();
  });
});
