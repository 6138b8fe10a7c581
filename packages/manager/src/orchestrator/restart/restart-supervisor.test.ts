import type { RestartPolicy, ServiceSpec, Task } from "@shoal/store";
import { TaskState } from "@shoal/store";
import { afterEach, describe, expect, it } from "vitest";
import { Harness } from "../testing/harness.ts";

let h: Harness;
afterEach(async () => {
  await h?.stop();
  expect(h?.errors ?? []).toEqual([]);
});

function withPolicy(policy: Partial<RestartPolicy>, replicas = 1) {
  return (s: ServiceSpec): ServiceSpec => ({
    ...s,
    mode: { replicated: { replicas } },
    taskTemplate: { ...s.taskTemplate, restartPolicy: { ...s.taskTemplate.restartPolicy, ...policy } },
  });
}

async function startService(policy: Partial<RestartPolicy>, replicas = 1): Promise<string> {
  h = await Harness.create();
  await h.addNode({ hostname: "a" });
  await h.addNode({ hostname: "b" });
  h.start();
  const id = await h.createService("web", withPolicy(policy, replicas));
  await h.converge();
  return id;
}

function only(tasks: Task[]): Task {
  expect(tasks).toHaveLength(1);
  return tasks[0] as Task;
}

describe("restart supervisor", () => {
  it("replaces a failed task in the same slot after the restart delay", async () => {
    const id = await startService({ condition: "any", delayMs: 5_000 });
    const first = only(h.running(id));
    await h.agent.fail(first.id);
    await h.settle();
    const next = only(h.runnable(id));
    expect(next.id).not.toBe(first.id);
    expect(next.slot).toBe(first.slot);
    expect(next.desiredState).toBe(TaskState.Ready);
    expect(next.restartHistory).toEqual([
      { taskId: first.id, atMs: h.clock.nowMs(), state: TaskState.Failed },
    ]);
    expect(h.store.view((v) => v.tasks.get(first.id))?.desiredState).toBe(TaskState.Shutdown);
    await h.advance(4_999);
    expect(only(h.runnable(id)).desiredState).toBe(TaskState.Ready);
    await h.advance(1);
    expect(only(h.runnable(id)).desiredState).toBe(TaskState.Running);
  });

  it.each([
    { endedAgoMs: 300, countsFromAgoMs: 300 },
    { endedAgoMs: 5_000, countsFromAgoMs: 0 },
  ])("a task that ended $endedAgoMs ms ago: the delay counts from $countsFromAgoMs ms ago", async (c) => {
    const id = await startService({ condition: "any", delayMs: 5_000 });
    const first = only(h.running(id));
    const endedAtMs = h.clock.nowMs() - c.endedAgoMs;
    // As the dispatcher writes a report: the end's time on this manager's clock.
    await h.store.update((tx) => {
      const task = tx.tasks.get(first.id) as Task;
      tx.update("task", {
        ...task,
        status: { state: TaskState.Failed, message: "exit code 1", exitCode: 1, timestampMs: endedAtMs },
      });
    });
    await h.settle();
    const next = only(h.runnable(id));
    expect(next.restartHistory.at(-1)?.atMs).toBe(h.clock.nowMs() - c.countsFromAgoMs);
    await h.advance(5_000 - c.countsFromAgoMs - 1);
    expect(only(h.runnable(id)).desiredState).toBe(TaskState.Ready);
    await h.advance(1);
    expect(only(h.runnable(id)).desiredState).toBe(TaskState.Running);
  });

  it.each([
    { condition: "any", ended: "complete", restarts: true },
    { condition: "any", ended: "fail", restarts: true },
    { condition: "on-failure", ended: "complete", restarts: false },
    { condition: "on-failure", ended: "fail", restarts: true },
    { condition: "none", ended: "fail", restarts: false },
    { condition: "none", ended: "complete", restarts: false },
  ] as const)("condition $condition, task ends with $ended: restarted = $restarts", async (c) => {
    const id = await startService({ condition: c.condition, delayMs: 0 });
    const first = only(h.running(id));
    if (c.ended === "fail") await h.agent.fail(first.id);
    else await h.agent.complete(first.id);
    await h.settle();
    const slotHolder = only(h.runnable(id));
    expect(slotHolder.id !== first.id).toBe(c.restarts);
  });

  it("gives up after maxAttempts", async () => {
    const id = await startService({ delayMs: 0, maxAttempts: 2 });
    for (let i = 0; i < 3; i++) {
      await h.agent.fail(only(h.running(id)).id);
      await h.converge();
    }
    const tasks = h.tasks(id);
    expect(tasks).toHaveLength(3);
    expect(h.running(id)).toHaveLength(0);
    expect(only(h.runnable(id)).status.state).toBe(TaskState.Failed);
  });

  it("counts attempts only inside the window", async () => {
    const id = await startService({ delayMs: 0, maxAttempts: 1, windowMs: 10_000 });
    await h.agent.fail(only(h.running(id)).id);
    await h.converge();
    expect(h.running(id)).toHaveLength(1);
    await h.advance(10_001);
    await h.agent.fail(only(h.running(id)).id);
    await h.converge();
    expect(h.running(id)).toHaveLength(1);
    // A second failure inside the window of the last attempt is one too many.
    await h.agent.fail(only(h.running(id)).id);
    await h.converge();
    expect(h.running(id)).toHaveLength(0);
  });

  it("keeps the attempt history across a leader change", async () => {
    const id = await startService({ delayMs: 5_000, maxAttempts: 2 });
    await h.agent.fail(only(h.running(id)).id);
    await h.settle();
    // The old leader stops during the restart delay; a new one takes over on the same store.
    await h.stop();
    await h.advance(3_000);
    h.start();
    await h.settle();
    expect(only(h.runnable(id)).desiredState).toBe(TaskState.Ready);
    await h.advance(2_000);
    expect(only(h.runnable(id)).desiredState).toBe(TaskState.Running);
    await h.converge();
    await h.agent.fail(only(h.running(id)).id);
    await h.advance(5_000);
    await h.converge();
    expect(only(h.runnable(id)).restartHistory).toHaveLength(2);
    await h.stop();
    h.start();
    await h.agent.fail(only(h.running(id)).id);
    await h.advance(5_000);
    await h.converge();
    expect(h.running(id)).toHaveLength(0);
    expect(h.tasks(id)).toHaveLength(3);
  });

  it.each(["drain", "down"] as const)(
    "replaces tasks on a %s node elsewhere at once, uncounted",
    async (how) => {
      const id = await startService({ delayMs: 5_000, maxAttempts: 1 }, 4);
      const [a, b] = h.store.view((v) => v.nodes.all().map((n) => n.id)) as [string, string];
      const onA = h.running(id).filter((t) => t.nodeId === a);
      expect(onA.length).toBeGreaterThan(0);
      await h.agent.setNode(a, (n) =>
        how === "drain"
          ? { ...n, spec: { ...n.spec, availability: "drain" } }
          : { ...n, status: { ...n.status, state: "down" } },
      );
      await h.converge();
      const running = h.running(id);
      expect(running).toHaveLength(4);
      expect(running.every((t) => t.nodeId === b)).toBe(true);
      expect(running.every((t) => t.restartHistory.length === 0)).toBe(true);
      expect(new Set(running.map((t) => t.slot))).toEqual(new Set([1, 2, 3, 4]));
    },
  );

  it("gives a slot one replacement even when two of its tasks end at once (start-first)", async () => {
    const id = await startService({ delayMs: 0 });
    const first = only(h.running(id));
    await h.store.update((tx) =>
      tx.create("task", { ...first, id: undefined, status: { ...first.status, state: TaskState.Running } }),
    );
    expect(h.running(id)).toHaveLength(2);
    await h.store.update((tx) => {
      for (const t of tx.tasks.byService(id)) {
        tx.update("task", {
          ...t,
          status: { ...t.status, state: TaskState.Failed, timestampMs: h.clock.nowMs() },
        });
      }
    });
    await h.converge();
    expect(h.running(id)).toHaveLength(1);
    expect(h.runnable(id)).toHaveLength(1);
  });
});
