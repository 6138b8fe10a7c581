import { TaskState } from "@shoal/store";
import { createTestStore, makeTask } from "@shoal/store/testing";
import { describe, expect, it } from "vitest";
import { StatusReporter } from "./status-reporter.ts";
import { waitUntil } from "./wait-for.ts";

async function storeWithTasks(count: number) {
  const { store } = createTestStore();
  const serviceId = store.newId();
  const nodeId = store.newId();
  const { value: ids } = await store.update((tx) =>
    Array.from({ length: count }, (_, i) =>
      tx.create("task", {
        ...makeTask(store.newId(), serviceId, i + 1),
        nodeId,
        status: { state: TaskState.Assigned, message: "", timestampMs: 0 },
      }),
    ),
  );
  return { store, ids };
}

describe("StatusReporter", () => {
  it("coalesces reports per task and writes the latest state", async () => {
    const { store, ids } = await storeWithTasks(3);
    const reporter = new StatusReporter(() => store, { batchDelayMs: 5 });
    for (const id of ids) {
      for (const state of [TaskState.Accepted, TaskState.Preparing, TaskState.Running]) {
        reporter.report({ taskId: id, state, message: "", timestampMs: 1 });
      }
    }
    await waitUntil(() => reporter.stats.transactions >= 1 && reporter.backlog === 0, { what: "the write" });
    expect(store.view((v) => ids.map((id) => v.tasks.get(id)?.status.state))).toEqual([
      TaskState.Running,
      TaskState.Running,
      TaskState.Running,
    ]);
    expect(reporter.stats.written).toBe(3);
  });

  it("never moves a task backwards", async () => {
    const { store, ids } = await storeWithTasks(1);
    const reporter = new StatusReporter(() => store, { batchDelayMs: 1 });
    reporter.report({ taskId: ids[0]!, state: TaskState.Running, message: "", timestampMs: 1 });
    await waitUntil(() => reporter.stats.written === 1, { what: "RUNNING" });
    reporter.report({ taskId: ids[0]!, state: TaskState.Starting, message: "", timestampMs: 2 });
    await waitUntil(() => reporter.stats.transactions === 2, { what: "the second write" });
    expect(store.view((v) => v.tasks.get(ids[0]!)?.status.state)).toBe(TaskState.Running);
  });

  it("keeps reports while there is no leader and writes them once there is one", async () => {
    const { store, ids } = await storeWithTasks(2);
    let target: typeof store | undefined;
    const reporter = new StatusReporter(() => target, { batchDelayMs: 1 });
    for (const id of ids)
      reporter.report({ taskId: id, state: TaskState.Running, message: "", timestampMs: 1 });
    await new Promise((r) => setTimeout(r, 20));
    expect(reporter.backlog).toBe(2);
    target = store;
    reporter.flush();
    await waitUntil(() => reporter.backlog === 0 && reporter.stats.written === 2, { what: "the write" });
  });

  it("splits reports into transactions of at most reportsPerTransactionMax", async () => {
    const { store, ids } = await storeWithTasks(10);
    const reporter = new StatusReporter(() => store, { batchDelayMs: 1, reportsPerTransactionMax: 3 });
    for (const id of ids)
      reporter.report({ taskId: id, state: TaskState.Accepted, message: "", timestampMs: 1 });
    await waitUntil(() => reporter.stats.written === 10, { what: "every report" });
    expect(reporter.stats.transactions).toBe(4);
  });
});
