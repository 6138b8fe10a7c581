import { TaskState } from "@shoal/store";
import { afterEach, describe, expect, it } from "vitest";
import { Harness } from "../testing/harness.ts";
import { deployImage, imagesOf, runningService, runUntil, slotsOf, stateOf } from "./update-test-steps.ts";

let h: Harness;
afterEach(async () => {
  await h?.stop();
  expect(h?.errors ?? []).toEqual([]);
});

/** The largest number of slots seen on the new image but not yet running, over a whole update. */
async function rollOut(
  image: string,
  id: string,
  stepMs = 1_000,
): Promise<{ maxInFlight: number; steps: number }> {
  let maxInFlight = 0;
  const steps = await runUntil(
    h,
    () => {
      const fresh = h.runnable(id).filter((t) => t.spec.containerSpec.image === image);
      maxInFlight = Math.max(maxInFlight, fresh.filter((t) => t.status.state !== TaskState.Running).length);
      return stateOf(h, id)?.state === "completed";
    },
    stepMs,
  );
  return { maxInFlight, steps };
}

describe("rolling update", () => {
  it("updates one slot at a time (parallelism 1), stop-first, then completes after the monitor period", async () => {
    h = await Harness.create();
    const id = await runningService(h, 3);
    await deployImage(h, id, "web:2");
    await h.settle();
    const waiting = h.runnable(id).filter((t) => t.spec.containerSpec.image === "web:2");
    expect(waiting).toHaveLength(1);
    expect(waiting[0]?.desiredState).toBe(TaskState.Ready);
    const { maxInFlight } = await rollOut("web:2", id);
    expect(maxInFlight).toBe(1);
    expect(imagesOf(h, id)).toEqual(["web:2", "web:2", "web:2"]);
    expect(slotsOf(h, id)).toEqual([1, 2, 3]);
    expect(stateOf(h, id)?.completedAtMs).toBeDefined();
  });

  it("updates every slot at once with parallelism 0", async () => {
    h = await Harness.create();
    const id = await runningService(h, 4, { parallelism: 0 });
    await deployImage(h, id, "web:2");
    await h.settle();
    expect(h.runnable(id).filter((t) => t.spec.containerSpec.image === "web:2")).toHaveLength(4);
    await rollOut("web:2", id);
  });

  it("waits `delayMs` between batches", async () => {
    h = await Harness.create();
    const id = await runningService(h, 4, { parallelism: 2, delayMs: 10_000, monitorMs: 0 });
    await deployImage(h, id, "web:2");
    await h.converge();
    expect(imagesOf(h, id).filter((i) => i === "web:2")).toHaveLength(2);
    await h.advance(9_000);
    await h.converge();
    expect(imagesOf(h, id).filter((i) => i === "web:2")).toHaveLength(2);
    await h.advance(1_000);
    await h.converge();
    expect(imagesOf(h, id).filter((i) => i === "web:2")).toHaveLength(4);
  });

  it("start-first runs the new task next to the old one, then stops the old", async () => {
    h = await Harness.create();
    const id = await runningService(h, 2, { order: "start-first" });
    await deployImage(h, id, "web:2");
    await h.settle();
    const slot1 = h.runnable(id).filter((t) => t.slot === 1);
    expect(slot1.map((t) => t.spec.containerSpec.image).sort()).toEqual(["shoal-test/busybox:1", "web:2"]);
    expect(slot1.every((t) => t.desiredState === TaskState.Running)).toBe(true);
    await h.agent.schedule();
    await h.agent.startAll();
    await h.settle();
    expect(
      h
        .runnable(id)
        .filter((t) => t.slot === 1)
        .map((t) => t.spec.containerSpec.image),
    ).toEqual(["web:2"]);
    await rollOut("web:2", id);
  });

  it("pauses on a failure (failureAction pause) and updates nothing more", async () => {
    h = await Harness.create();
    const id = await runningService(h, 4);
    await deployImage(h, id, "web:2");
    for (let i = 0; i < 2; i++) {
      await h.settle();
      await h.agent.step();
    }
    const fresh = h.running(id).find((t) => t.spec.containerSpec.image === "web:2");
    await h.agent.fail(fresh?.id ?? "");
    await h.converge();
    expect(stateOf(h, id)?.state).toBe("paused");
    expect(stateOf(h, id)?.message).toMatch(/paused/);
    const updated = imagesOf(h, id).filter((i) => i === "web:2").length;
    expect(updated).toBeLessThan(4);
    await h.advance(60_000);
    await h.converge();
    expect(imagesOf(h, id).filter((i) => i === "web:2")).toHaveLength(updated);
  });

  it("counts a task that stops within the monitor period as failed, not one that stops after", async () => {
    h = await Harness.create();
    const id = await runningService(h, 2, { monitorMs: 5_000, delayMs: 7_000, failureAction: "pause" });
    await deployImage(h, id, "web:2");
    await h.converge();
    await h.advance(6_000);
    await h.converge();
    const first = h.running(id).find((t) => t.slot === 1);
    expect(first?.spec.containerSpec.image).toBe("web:2");
    await h.agent.fail(first?.id ?? ""); // ran for 6 s: past the monitor period
    await h.converge();
    expect(stateOf(h, id)?.state).toBe("updating");
    await h.advance(1_000);
    await h.converge();
    const second = h.running(id).find((t) => t.slot === 2 && t.spec.containerSpec.image === "web:2");
    expect(second).toBeDefined();
    await h.advance(1_000);
    await h.agent.fail(second?.id ?? ""); // ran for 1 s
    await h.converge();
    expect(stateOf(h, id)?.state).toBe("paused");
  });

  it("continues despite failures with failureAction continue", async () => {
    h = await Harness.create();
    const id = await runningService(h, 3, { failureAction: "continue" });
    await deployImage(h, id, "web:2");
    await h.converge();
    await h.agent.fail(h.running(id).find((t) => t.spec.containerSpec.image === "web:2")?.id ?? "");
    await rollOut("web:2", id);
    expect(imagesOf(h, id)).toEqual(["web:2", "web:2", "web:2"]);
  });

  it("rolls back once failures exceed maxFailureRatio", async () => {
    h = await Harness.create();
    const id = await runningService(h, 4, {
      parallelism: 0,
      failureAction: "rollback",
      maxFailureRatio: 0.3,
    });
    await deployImage(h, id, "web:2");
    await h.converge();
    const fresh = h.running(id).filter((t) => t.spec.containerSpec.image === "web:2");
    expect(fresh).toHaveLength(4);
    await h.agent.fail(fresh[0]?.id ?? ""); // 1 of 4 = 0.25: tolerated
    await h.settle();
    expect(stateOf(h, id)?.state).toBe("updating");
    await h.agent.fail(fresh[1]?.id ?? ""); // 2 of 4 = 0.5: over
    await h.settle();
    expect(stateOf(h, id)?.state).toBe("rollback_started");
    expect(h.service(id).spec.taskTemplate.containerSpec.image).toBe("shoal-test/busybox:1");
    expect(h.service(id).previousSpec?.taskTemplate.containerSpec.image).toBe("web:2");
    await runUntil(h, () => stateOf(h, id)?.state === "rollback_completed");
    expect(imagesOf(h, id)).toEqual(Array(4).fill("shoal-test/busybox:1"));
    expect(slotsOf(h, id)).toEqual([1, 2, 3, 4]);
  });

  it("a new update interrupts a running one", async () => {
    h = await Harness.create();
    const id = await runningService(h, 4);
    await deployImage(h, id, "web:2");
    await h.converge();
    await h.advance(1_000);
    await h.converge();
    expect(imagesOf(h, id)).toContain("web:2");
    await deployImage(h, id, "web:3");
    await rollOut("web:3", id);
    expect(imagesOf(h, id)).toEqual(Array(4).fill("web:3"));
    expect(slotsOf(h, id)).toEqual([1, 2, 3, 4]);
  });

  it("forceUpdate redeploys every task with the same spec otherwise", async () => {
    h = await Harness.create();
    const id = await runningService(h, 2);
    const before = new Set(h.running(id).map((t) => t.id));
    await h.updateService(id, (s) => ({
      ...s,
      previousSpec: s.spec,
      spec: {
        ...s.spec,
        taskTemplate: { ...s.spec.taskTemplate, forceUpdate: s.spec.taskTemplate.forceUpdate + 1 },
      },
      updateStatus: { state: "updating", startedAtMs: h.clock.nowMs(), message: "" },
    }));
    await runUntil(h, () => stateOf(h, id)?.state === "completed");
    expect(h.running(id).some((t) => before.has(t.id))).toBe(false);
    expect(h.running(id)).toHaveLength(2);
  });

  it("a new leader resumes an update without duplicate slots or lost tasks", async () => {
    h = await Harness.create();
    const id = await runningService(h, 4, { monitorMs: 2_000 });
    await deployImage(h, id, "web:2");
    await h.converge();
    await h.advance(1_000);
    await h.converge();
    await h.stop();
    await h.agent.step();
    await h.advance(10_000);
    h.start();
    await runUntil(h, () => stateOf(h, id)?.state === "completed");
    expect(imagesOf(h, id)).toEqual(Array(4).fill("web:2"));
    expect(slotsOf(h, id)).toEqual([1, 2, 3, 4]);
  });

  it("rolls back on request with the rollback config", async () => {
    h = await Harness.create();
    const id = await runningService(h, 2);
    await deployImage(h, id, "web:2");
    await runUntil(h, () => stateOf(h, id)?.state === "completed");
    await h.updateService(id, (s) => ({
      ...s,
      spec: s.previousSpec ?? s.spec,
      previousSpec: s.spec,
      updateStatus: { state: "rollback_started", startedAtMs: h.clock.nowMs(), message: "manual rollback" },
    }));
    await runUntil(h, () => stateOf(h, id)?.state === "rollback_completed");
    expect(imagesOf(h, id)).toEqual(Array(2).fill("shoal-test/busybox:1"));
  });

  it("pauses a rollback that fails (rollback_paused)", async () => {
    h = await Harness.create();
    const id = await runningService(h, 2);
    await deployImage(h, id, "web:2");
    await runUntil(h, () => stateOf(h, id)?.state === "completed");
    await h.updateService(id, (s) => ({
      ...s,
      spec: s.previousSpec ?? s.spec,
      previousSpec: s.spec,
      updateStatus: { state: "rollback_started", startedAtMs: h.clock.nowMs(), message: "manual rollback" },
    }));
    await h.converge();
    const back = h.running(id).find((t) => t.spec.containerSpec.image === "shoal-test/busybox:1");
    await h.agent.fail(back?.id ?? "");
    await h.converge();
    expect(stateOf(h, id)?.state).toBe("rollback_paused");
  });

  it("updates a global service node by node, each new task on the same node", async () => {
    h = await Harness.create();
    const a = await h.addNode();
    const b = await h.addNode();
    h.start();
    const id = await h.createService("agent", (s) => ({ ...s, mode: { global: {} } }));
    await h.converge();
    await deployImage(h, id, "agent:2");
    await runUntil(h, () => stateOf(h, id)?.state === "completed");
    const tasks = h.running(id);
    expect(tasks.map((t) => t.spec.containerSpec.image)).toEqual(["agent:2", "agent:2"]);
    expect(tasks.map((t) => t.nodeId).sort()).toEqual([a, b].sort());
  });
});
