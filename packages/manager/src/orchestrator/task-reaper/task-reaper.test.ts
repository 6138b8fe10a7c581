import { DEFAULT_CLUSTER_SPEC } from "@shoal/store";
import { afterEach, describe, expect, it } from "vitest";
import { Harness } from "../testing/harness.ts";

let h: Harness;
afterEach(async () => {
  await h?.stop();
  expect(h?.errors ?? []).toEqual([]);
});

describe("task reaper", () => {
  it("keeps taskHistoryRetentionLimit old tasks per slot, deleting the oldest", async () => {
    h = await Harness.create();
    await h.addNode();
    h.start();
    const id = await h.createService("web", (s) => ({
      ...s,
      taskTemplate: { ...s.taskTemplate, restartPolicy: { ...s.taskTemplate.restartPolicy, delayMs: 0 } },
    }));
    await h.converge();
    const ids: string[] = [h.running(id)[0]?.id ?? ""];
    for (let i = 0; i < 8; i++) {
      h.clock.setNow(h.clock.nowMs() + 1_000);
      await h.agent.fail(h.running(id)[0]?.id ?? "");
      await h.converge();
      ids.push(h.running(id)[0]?.id ?? "");
    }
    const left = h.tasks(id).map((t) => t.id);
    expect(left).toHaveLength(1 + DEFAULT_CLUSTER_SPEC.orchestration.taskHistoryRetentionLimit);
    expect(new Set(left)).toEqual(new Set(ids.slice(-6)));
  });

  it("follows a changed retention limit", async () => {
    h = await Harness.create();
    await h.addNode();
    h.start();
    const id = await h.createService("web", (s) => ({
      ...s,
      taskTemplate: { ...s.taskTemplate, restartPolicy: { ...s.taskTemplate.restartPolicy, delayMs: 0 } },
    }));
    await h.converge();
    for (let i = 0; i < 3; i++) {
      await h.agent.fail(h.running(id)[0]?.id ?? "");
      await h.converge();
    }
    expect(h.tasks(id)).toHaveLength(4);
    await h.store.update((tx) => {
      const c = tx.clusters.all()[0];
      if (c)
        tx.update("cluster", { ...c, spec: { ...c.spec, orchestration: { taskHistoryRetentionLimit: 1 } } });
    });
    await h.settle();
    expect(h.tasks(id)).toHaveLength(2);
  });

  it("deletes the tasks of a removed service once they stopped", async () => {
    h = await Harness.create();
    await h.addNode();
    h.start();
    const id = await h.createService("web", (s) => ({ ...s, mode: { replicated: { replicas: 3 } } }));
    await h.converge();
    await h.store.update((tx) => tx.delete("service", h.service(id)));
    await h.settle();
    expect(h.tasks(id)).toHaveLength(3);
    await h.converge();
    expect(h.tasks(id)).toHaveLength(0);
  });
});
