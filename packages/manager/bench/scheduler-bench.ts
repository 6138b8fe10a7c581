/**
 * Scheduling speed: N pending tasks (S services) over M nodes, through the real store and the
 * Scheduler loop (model build, decisions, writes in store.batch transactions, apply).
 * Usage: npx tsx packages/manager/bench/scheduler-bench.ts [tasks=100000] [nodes=5000] [services=100]
 */
import { type Store, TaskState } from "@shoal/store";
import { createTestStore } from "@shoal/store/testing";
import { Scheduler } from "../src/scheduler/scheduler.ts";
import { SchedulerState } from "../src/scheduler/scheduler-state.ts";
import { node, pendingTask, put } from "../src/scheduler/test-kit.ts";

const [taskCount = 100_000, nodeCount = 5_000, serviceCount = 100] = process.argv.slice(2).map(Number);

async function setup(validateObjects: boolean): Promise<Store> {
  const { store } = createTestStore({ validateObjects });
  const nodes = Array.from({ length: nodeCount }, (_, i) =>
    node(i + 1, (n) => {
      n.spec.labels.zone = `z${i % 3}`;
    }),
  );
  const tasks = Array.from({ length: taskCount }, (_, i) =>
    pendingTask(i + 1, (i % serviceCount) + 1, (t) => {
      t.spec.resources.reservations = { nanoCpus: 1e7, memoryBytes: 1e6 };
      if (i % serviceCount < serviceCount / 2)
        t.spec.placement.preferences = [{ spread: "node.labels.zone" }];
    }),
  );
  await put(store, nodes, tasks);
  return store;
}

function core(store: Store): void {
  const t0 = performance.now();
  const state = store.view((v) => SchedulerState.fromView(v, 0));
  const t1 = performance.now();
  const d = state.schedule(0);
  const t2 = performance.now();
  console.log(
    `core: model ${(t1 - t0).toFixed(0)} ms, decisions ${(t2 - t1).toFixed(0)} ms for ${d.assignments.size} tasks ` +
      `(${Math.round(d.assignments.size / ((t2 - t1) / 1000))} tasks/s)`,
  );
}

async function loop(store: Store, label: string): Promise<void> {
  const t0 = performance.now();
  const scheduler = new Scheduler(store);
  scheduler.start();
  for (;;) {
    const assigned = store.view((v) => v.tasks.byObservedState(TaskState.Assigned).length);
    if (assigned === taskCount) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const ms = performance.now() - t0;
  await scheduler.stop();
  console.log(
    `loop (${label}): ${taskCount} tasks on ${nodeCount} nodes in ${ms.toFixed(0)} ms = ${Math.round(taskCount / (ms / 1000))} tasks/s`,
  );
}

console.log(`${taskCount} tasks, ${serviceCount} services (half spread over 3 zones), ${nodeCount} nodes`);
core(await setup(false));
await loop(await setup(false), "store without schema validation");
if (process.env.VALIDATE === "1") await loop(await setup(true), "store validating every object");
