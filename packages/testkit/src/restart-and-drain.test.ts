/**
 * Restart policies and node availability on a 3-manager simulated cluster: restart attempts are
 * kept on the tasks themselves, so a new leader counts them too; a drained node's tasks move.
 */
import { type ReadView, type Task, TaskState } from "@shoal/store";
import { afterEach, describe, expect, it } from "vitest";
import { simServiceSpec } from "./service-specs.ts";
import { SimCluster } from "./sim-cluster.ts";
import { slotProblems } from "./slot-check.ts";

let cluster: SimCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

function runningInSlot(v: ReadView, serviceId: string, slot: number): Task | undefined {
  return v.tasks
    .bySlot(serviceId, slot)
    .find((t) => t.desiredState === TaskState.Running && t.status.state === TaskState.Running);
}

describe("restart policy across a leader change", () => {
  it("max attempts count attempts made under the previous leader", async () => {
    cluster = await SimCluster.start({ managers: 3, agents: 10 });
    const c = cluster;
    const spec = simServiceSpec("flaky", 3, { restartMaxAttempts: 3, restartDelayMs: 30 });
    const id = await c.update((tx) => tx.create("service", { spec }));
    await c.waitFor((v) => slotProblems(v, id, { running: true }).length === 0, { what: "convergence" });

    /** Fails slot 1's running task; waits for its replacement to run (when one is due). */
    const failSlot1 = async (expectReplacement: boolean): Promise<Task | undefined> => {
      const task = c.view((v) => runningInSlot(v, id, 1));
      expect(task).toBeDefined();
      expect(c.agents.exitTask(task!.id, 1)).toBe(true);
      await c.waitFor((v) => v.tasks.get(task!.id)?.status.state === TaskState.Failed, {
        what: "the failure",
      });
      if (!expectReplacement) return undefined;
      return c.waitFor((v) => runningInSlot(v, id, 1), { what: "a replacement in slot 1" });
    };

    expect((await failSlot1(true))?.restartHistory).toHaveLength(1);
    expect((await failSlot1(true))?.restartHistory).toHaveLength(2);
    const killed = await c.killLeader();
    const next = await c.waitForLeader();
    expect(next.id).not.toBe(killed);
    const third = await failSlot1(true);
    expect(third?.restartHistory.map((a) => a.state)).toEqual([
      TaskState.Failed,
      TaskState.Failed,
      TaskState.Failed,
    ]);
    // The fourth failure is over maxAttempts (3): no replacement; the slot stays empty.
    await failSlot1(false);
    await new Promise((r) => setTimeout(r, 400));
    expect(c.view((v) => v.tasks.bySlot(id, 1).filter((t) => t.status.state <= TaskState.Running))).toEqual(
      [],
    );
    expect(c.view((v) => [2, 3].every((slot) => runningInSlot(v, id, slot) !== undefined))).toBe(true);
  });
});

describe("drain", () => {
  it("moves a drained node's tasks to other nodes and stops them there", async () => {
    cluster = await SimCluster.start({ managers: 3, agents: 10 });
    const c = cluster;
    const id = await c.update((tx) => tx.create("service", { spec: simServiceSpec("web", 30) }));
    await c.waitFor((v) => slotProblems(v, id, { running: true }).length === 0, { what: "convergence" });
    const busiest = c.view((v) => {
      const counts = c.nodeIds.map((n) => ({
        n,
        count: v.tasks.byNode(n).filter((t) => t.desiredState === TaskState.Running).length,
      }));
      return counts.sort((a, b) => b.count - a.count)[0]!;
    });
    expect(busiest.count).toBeGreaterThan(0);
    await c.setAvailability(busiest.n, "drain");
    await c.waitFor(
      (v) =>
        slotProblems(v, id, { running: true }).length === 0 &&
        v.tasks
          .byNode(busiest.n)
          .every((t) => t.desiredState > TaskState.Running && t.status.state > TaskState.Running),
      { what: "the drained node empty and every slot running elsewhere" },
    );
    expect(c.agents.get(busiest.n)?.activeTaskCount).toBe(0);
  });

  it("a drain started under one leader is completed by the next", async () => {
    cluster = await SimCluster.start({ managers: 3, agents: 10, agentOptions: { stopLatencyMs: 200 } });
    const c = cluster;
    const id = await c.update((tx) => tx.create("service", { spec: simServiceSpec("web", 20) }));
    await c.waitFor((v) => slotProblems(v, id, { running: true }).length === 0, { what: "convergence" });
    const node = c.nodeIds[0]!;
    await c.setAvailability(node, "drain");
    await c.killLeader();
    await c.waitFor(
      (v) =>
        slotProblems(v, id, { running: true }).length === 0 &&
        v.tasks.byNode(node).every((t) => t.status.state > TaskState.Running),
      { what: "the drain finished by the new leader", timeoutMs: 15_000 },
    );
  });
});
