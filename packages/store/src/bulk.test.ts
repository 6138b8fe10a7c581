import { describe, expect, it } from "vitest";
import { seededRandomBytes } from "./objects/ids.ts";
import { TaskState } from "./objects/task-state.ts";
import { Store } from "./store.ts";
import { makeService, makeTask } from "./testing/fixtures.ts";
import { LocalLog } from "./testing/local-log.ts";
import { TransactionEncoder } from "./transaction-codec.ts";

const TASK_COUNT = 100_000;

// Timing is reported, not asserted: machines are shared and noisy.
describe("a bulk transaction of 100,000 tasks", () => {
  it("applies as one transaction and indexes every task", { timeout: 120_000 }, () => {
    const store = new Store({ proposer: new LocalLog(), randomBytes: seededRandomBytes(3) });
    const serviceId = store.newId();
    const service = makeService(serviceId, "web", TASK_COUNT);
    const encoder = new TransactionEncoder(1_000);
    encoder.tryAdd({
      op: "create",
      kind: "service",
      object: { ...service, version: 0, createdAtMs: 0, updatedAtMs: 0 },
    });
    const spec = service.spec.taskTemplate;
    for (let slot = 1; slot <= TASK_COUNT; slot++) {
      const task = {
        ...makeTask(store.newId(), serviceId, slot, spec),
        version: 0,
        createdAtMs: 0,
        updatedAtMs: 0,
      };
      encoder.tryAdd({ op: "create", kind: "task", object: task });
    }
    const data = encoder.finish();
    const started = performance.now();
    const result = store.applyCommitted(1, data);
    const elapsedMs = performance.now() - started;
    console.log(
      `applied ${TASK_COUNT} task creations in one ${(data.length / 1e6).toFixed(1)} MB transaction in ${elapsedMs.toFixed(0)} ms`,
    );
    expect(result).toEqual({ ok: true, version: 1, changeCount: TASK_COUNT + 1 });
    store.view((v) => {
      expect(v.tasks.countByService(serviceId)).toBe(TASK_COUNT);
      expect(v.tasks.byDesiredState(TaskState.Running)).toHaveLength(TASK_COUNT);
      expect(v.tasks.bySlot(serviceId, 77_777)).toHaveLength(1);
    });
  });

  it("splits into proposals under the limit with batch()", { timeout: 120_000 }, async () => {
    const log = new LocalLog();
    const store = log.attach(new Store({ proposer: log, randomBytes: seededRandomBytes(4) }));
    const { value: serviceId } = await store.update((tx) =>
      tx.create("service", makeService(store.newId(), "web")),
    );
    const spec = store.view((v) => v.services.get(serviceId)!.spec.taskTemplate);
    const started = performance.now();
    const result = await store.batch((tx) => {
      for (let slot = 1; slot <= TASK_COUNT; slot++)
        tx.create("task", makeTask(store.newId(), serviceId, slot, spec));
    });
    const elapsedMs = performance.now() - started;
    const bytes = log.entries.slice(1).reduce((sum, e) => sum + e.length, 0);
    console.log(
      `batch(): ${TASK_COUNT} tasks validated, encoded, proposed and applied in ${elapsedMs.toFixed(0)} ms ` +
        `as ${result.transactionCount} proposals of ${(bytes / result.transactionCount / 1024).toFixed(0)} KiB on average`,
    );
    expect(result.failures).toEqual([]);
    expect(store.view((v) => v.tasks.count())).toBe(TASK_COUNT);
    for (const entry of log.entries) expect(entry.length).toBeLessThanOrEqual(1536 * 1024 + 1);
  });
});
