import { TaskState } from "@shoal/store";
import { afterEach, describe, expect, it } from "vitest";
import { Harness } from "../testing/harness.ts";

let h: Harness;
afterEach(async () => {
  await h?.stop();
  expect(h?.errors ?? []).toEqual([]);
});

function scaleTo(replicas: number) {
  return (s: import("@shoal/store").Service) => ({
    ...s,
    spec: { ...s.spec, mode: { replicated: { replicas } } },
  });
}

describe("replicated orchestrator", () => {
  it("fills slots 1..N with NEW tasks desired RUNNING", async () => {
    h = await Harness.create();
    h.start();
    const id = await h.createService("web", (s) => ({ ...s, mode: { replicated: { replicas: 3 } } }));
    await h.settle();
    const tasks = h.runnable(id);
    expect(tasks.map((t) => t.slot)).toEqual([1, 2, 3]);
    expect(tasks.every((t) => t.status.state === TaskState.New && t.desiredState === TaskState.Running)).toBe(
      true,
    );
  });

  it("scales up into the lowest free slots", async () => {
    h = await Harness.create();
    await h.addNode();
    h.start();
    const id = await h.createService("web", (s) => ({ ...s, mode: { replicated: { replicas: 4 } } }));
    await h.converge();
    await h.updateService(id, scaleTo(2));
    await h.converge();
    const kept = h.runnable(id).map((t) => t.slot);
    expect(kept).toHaveLength(2);
    await h.updateService(id, scaleTo(5));
    await h.settle();
    const free = [1, 2, 3, 4, 5].filter((s) => !kept.includes(s)).slice(0, 3);
    expect(h.runnable(id).map((t) => t.slot)).toEqual([...kept, ...free].sort());
  });

  it("scales down from the most crowded node first, non-running tasks first", async () => {
    h = await Harness.create();
    const a = await h.addNode({ hostname: "a" });
    const b = await h.addNode({ hostname: "b" });
    h.start();
    const id = await h.createService("web", (s) => ({ ...s, mode: { replicated: { replicas: 4 } } }));
    await h.converge();
    // Move everything but slot 4 to node a: a holds 3, b holds 1. Slot 2 is not running.
    await h.store.update((tx) => {
      for (const t of tx.tasks.byService(id)) {
        const state = t.slot === 2 ? TaskState.Assigned : TaskState.Running;
        tx.update("task", { ...t, nodeId: t.slot === 4 ? b : a, status: { ...t.status, state } });
      }
    });
    await h.updateService(id, scaleTo(2));
    await h.settle();
    const removed = h.tasks(id).filter((t) => t.desiredState === TaskState.Remove);
    // Two from a (the crowded node): the non-running slot 2 first, then a running one.
    expect(removed.map((t) => t.nodeId)).toEqual([a, a]);
    expect(removed.map((t) => t.slot)).toContain(2);
    expect(
      h
        .runnable(id)
        .map((t) => t.nodeId)
        .sort(),
    ).toEqual([a, b].sort());
  });

  it("deletes scaled-down tasks once they stopped", async () => {
    h = await Harness.create();
    await h.addNode();
    h.start();
    const id = await h.createService("web", (s) => ({ ...s, mode: { replicated: { replicas: 3 } } }));
    await h.converge();
    await h.updateService(id, scaleTo(1));
    await h.settle();
    expect(h.tasks(id)).toHaveLength(3);
    await h.converge();
    expect(h.tasks(id)).toHaveLength(1);
  });

  it("a paused node keeps its running tasks; a new leader adds no duplicate slots", async () => {
    h = await Harness.create();
    const a = await h.addNode();
    h.start();
    const id = await h.createService("web", (s) => ({ ...s, mode: { replicated: { replicas: 3 } } }));
    await h.converge();
    await h.agent.setNode(a, (n) => ({ ...n, spec: { ...n.spec, availability: "pause" } }));
    await h.converge();
    const before = h.running(id).map((t) => t.id);
    expect(before).toHaveLength(3);
    await h.stop();
    h.start();
    await h.converge();
    expect(h.running(id).map((t) => t.id)).toEqual(before);
    expect(h.tasks(id)).toHaveLength(3);
  });

  it("creates 100,000 tasks in large batches, fast", async () => {
    h = await Harness.create();
    h.start();
    const started = performance.now();
    const id = await h.createService("big", (s) => ({ ...s, mode: { replicated: { replicas: 100_000 } } }));
    await h.settle();
    const elapsedMs = performance.now() - started;
    console.log(`100,000 tasks created and settled in ${elapsedMs.toFixed(0)} ms`);
    expect(h.store.view((v) => v.tasks.countByService(id))).toBe(100_000);
    expect(elapsedMs).toBeLessThan(25_000);
  }, 60_000);
});
