import { TaskState } from "@shoal/store";
import { afterEach, describe, expect, it } from "vitest";
import { CONSTRAINT_REJECTION_MESSAGE } from "../restart/restart-policy.ts";
import { Harness } from "../testing/harness.ts";

let h: Harness;
afterEach(async () => {
  await h?.stop();
  expect(h?.errors ?? []).toEqual([]);
});

describe("constraint enforcer", () => {
  it("rejects tasks whose node no longer fits, and they are rescheduled at once", async () => {
    h = await Harness.create();
    const a = await h.addNode({ labels: { disk: "ssd" } });
    const b = await h.addNode({ labels: { disk: "ssd" } });
    h.start();
    const id = await h.createService("db", (s) => ({
      ...s,
      mode: { replicated: { replicas: 2 } },
      taskTemplate: {
        ...s.taskTemplate,
        restartPolicy: { ...s.taskTemplate.restartPolicy, delayMs: 5_000, maxAttempts: 1 },
        placement: { ...s.taskTemplate.placement, constraints: ["node.labels.disk == ssd"] },
      },
    }));
    await h.converge();
    const onA = h.running(id).filter((t) => t.nodeId === a);
    await h.agent.setNode(a, (n) => ({ ...n, spec: { ...n.spec, labels: { disk: "hdd" } } }));
    await h.settle();
    for (const t of onA) {
      const now = h.store.view((v) => v.tasks.get(t.id));
      expect(now?.status.state).toBe(TaskState.Rejected);
      expect(now?.status.message).toBe(CONSTRAINT_REJECTION_MESSAGE);
    }
    await h.converge();
    const running = h.running(id);
    expect(running).toHaveLength(2);
    expect(running.every((t) => t.nodeId === b)).toBe(true);
  });

  it("reacts to a role change", async () => {
    h = await Harness.create();
    const m = await h.addNode({ role: "manager" });
    await h.addNode();
    h.start();
    const id = await h.createService("ui", (s) => ({
      ...s,
      taskTemplate: {
        ...s.taskTemplate,
        placement: { ...s.taskTemplate.placement, constraints: ["node.role == manager"] },
      },
    }));
    await h.converge();
    expect(h.running(id).map((t) => t.nodeId)).toEqual([m]);
    await h.agent.setNode(m, (n) => ({ ...n, role: "worker", spec: { ...n.spec, role: "worker" } }));
    await h.converge();
    expect(h.running(id)).toHaveLength(0);
    expect(h.runnable(id)[0]?.status.state).toBe(TaskState.New);
  });
});
