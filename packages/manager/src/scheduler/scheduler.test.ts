import { TaskState } from "@shoal/store";
import { createTestStore } from "@shoal/store/testing";
import { describe, expect, it, vi } from "vitest";
import { Scheduler } from "./scheduler.ts";
import { node, pendingTask, put, testId } from "./test-kit.ts";

describe("Scheduler loop", () => {
  it("assigns tasks from the first view and from the watch, and explains pending ones once", async () => {
    const { store } = createTestStore();
    await put(store, [node(1)], [pendingTask(1, 1)]);
    const scheduler = new Scheduler(store, { debounce: { gapMs: 5, delayMsMax: 50 } });
    scheduler.start();
    await vi.waitFor(() =>
      expect(store.view((v) => v.tasks.get(testId("t", 1))?.status.state)).toBe(TaskState.Assigned),
    );
    expect(store.view((v) => v.tasks.get(testId("t", 1))?.nodeId)).toBe(testId("n", 1));

    await put(
      store,
      [],
      [
        pendingTask(2, 2, (t) => {
          t.spec.placement.constraints = ["node.role==manager"];
        }),
      ],
    );
    const message = "no suitable node (1 node scheduling constraints not satisfied)";
    await vi.waitFor(() =>
      expect(store.view((v) => v.tasks.get(testId("t", 2))?.status.message)).toBe(message),
    );
    const version = store.view((v) => v.tasks.get(testId("t", 2))?.version);
    // Another change triggers a pass: the unchanged message is not written again.
    await put(store, [], [pendingTask(3, 3)]);
    await vi.waitFor(() =>
      expect(store.view((v) => v.tasks.get(testId("t", 3))?.nodeId)).toBe(testId("n", 1)),
    );
    await new Promise((r) => setTimeout(r, 30));
    expect(store.view((v) => v.tasks.get(testId("t", 2))?.version)).toBe(version);
    // A manager joins: the task is placed there.
    await put(store, [node(3, (n) => void Object.assign(n, { role: "manager" }))], []);
    await vi.waitFor(() =>
      expect(store.view((v) => v.tasks.get(testId("t", 2))?.nodeId)).toBe(testId("n", 3)),
    );
    scheduler.model?.checkInvariants();
    await scheduler.stop();
    await scheduler.stop();
  });

  it("schedules 10,000 tasks over 1,000 nodes evenly", async () => {
    const { store } = createTestStore({ validateObjects: false });
    const nodes = Array.from({ length: 1_000 }, (_, i) => node(i + 1));
    const tasks = Array.from({ length: 10_000 }, (_, i) =>
      pendingTask(i + 1, (i % 10) + 1, (t) => {
        t.spec.resources.reservations = { nanoCpus: 1e8, memoryBytes: 1e6 };
      }),
    );
    await put(store, nodes, tasks);
    const scheduler = new Scheduler(store, { debounce: { gapMs: 5, delayMsMax: 50 } });
    scheduler.start();
    await vi.waitFor(
      () => expect(store.view((v) => v.tasks.byObservedState(TaskState.Assigned).length)).toBe(10_000),
      { timeout: 20_000, interval: 50 },
    );
    await scheduler.stop();
    store.view((v) => {
      for (const n of v.nodes.all()) {
        const onNode = v.tasks.byNode(n.id);
        expect(onNode.length).toBe(10);
        expect(new Set(onNode.map((t) => t.serviceId)).size).toBe(10); // one of each service
      }
    });
  }, 30_000);
});
