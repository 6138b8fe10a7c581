/**
 * Leader failures in the middle of orchestration work: the next leader must finish the job with
 * every slot 1..N holding exactly one task desired RUNNING, all RUNNING, none lost or doubled.
 */
import { TaskState } from "@shoal/store";
import { afterEach, describe, expect, it } from "vitest";
import { simServiceSpec, withImage, withReplicas } from "./service-specs.ts";
import { SimCluster } from "./sim-cluster.ts";
import { slotProblems } from "./slot-check.ts";
import { SlotMonitor } from "./slot-monitor.ts";

let cluster: SimCluster | undefined;
let monitor: SlotMonitor | undefined;
afterEach(async () => {
  monitor?.stop();
  await cluster?.stop();
  cluster = monitor = undefined;
});

async function startWith(replicas: number, update = {}) {
  cluster = await SimCluster.start({ managers: 3, agents: 10, agentOptions: { stepLatencyMs: 20 } });
  const c = cluster;
  const spec = simServiceSpec("web", replicas, { update });
  const id = await c.update((tx) => tx.create("service", { spec }));
  await c.waitFor((v) => slotProblems(v, id, { running: true }).length === 0, { what: "first convergence" });
  monitor = new SlotMonitor(c, id);
  return { c, id };
}

async function converged(c: SimCluster, id: string, what: string): Promise<void> {
  await c.waitFor((v) => slotProblems(v, id, { running: true, currentSpec: true }).length === 0, {
    timeoutMs: 20_000,
    what,
  });
}

describe("a leader killed mid-flight", () => {
  it("rolling update: the new leader finishes it, no slot doubled or lost", async () => {
    const { c, id } = await startWith(30, { parallelism: 3, monitorMs: 50 });
    await c.update((tx) => {
      const s = tx.services.get(id)!;
      tx.update("service", { ...s, spec: withImage(s.spec, "shoal-sim/app:2") });
    });
    const image = (t: { spec: { containerSpec: { image: string } } }) => t.spec.containerSpec.image;
    await c.waitFor(
      (v) => {
        const updated = v.tasks
          .byService(id)
          .filter((t) => t.desiredState === TaskState.Running && image(t) === "shoal-sim/app:2");
        return updated.length >= 6 && updated.length < 30;
      },
      { what: "the update under way" },
    );
    const killed = await c.killLeader();
    const next = await c.waitForLeader();
    expect(next.id).not.toBe(killed);
    await converged(c, id, "the update to finish under the new leader");
    await c.waitFor((v) => v.services.get(id)?.updateStatus?.state === "completed", { what: "completed" });
    expect(monitor?.duplicates).toEqual([]);
    expect(monitor?.samples).toBeGreaterThan(10);
    expect(c.errors.filter((e) => !isExpected(e.error))).toEqual([]);
  });

  it("scale-up: the new leader fills every slot once", async () => {
    const { c, id } = await startWith(10);
    await c.update((tx) => {
      const s = tx.services.get(id)!;
      tx.update("service", { ...s, spec: withReplicas(s.spec, 60) });
    });
    await c.waitFor(
      (v) => {
        const tasks = v.tasks.byService(id).filter((t) => t.desiredState === TaskState.Running);
        return tasks.length > 10 && tasks.filter((t) => t.status.state === TaskState.Running).length < 60;
      },
      { what: "the scale-up under way" },
    );
    await c.killLeader();
    await converged(c, id, "all 60 slots running under the new leader");
    expect(
      c.view((v) => v.tasks.byService(id).filter((t) => t.desiredState === TaskState.Running).length),
    ).toBe(60);
    expect(monitor?.duplicates).toEqual([]);
    expect(monitor?.samples).toBeGreaterThan(10);
  });

  it("a partitioned leader steps down; the majority finishes the update; healing changes nothing", async () => {
    const { c, id } = await startWith(20, { parallelism: 2, monitorMs: 50 });
    await c.update((tx) => {
      const s = tx.services.get(id)!;
      tx.update("service", { ...s, spec: withImage(s.spec, "shoal-sim/app:3") });
    });
    const old = await c.waitForLeader();
    c.isolate(old.id);
    await c.waitFor(() => c.leader() !== undefined && c.leader() !== old, { what: "a new leader" });
    await converged(c, id, "the update to finish in the majority");
    expect(old.isActiveLeader).toBe(false);
    c.heal();
    await new Promise((r) => setTimeout(r, 300));
    await converged(c, id, "still converged after healing");
    expect(monitor?.duplicates).toEqual([]);
    expect(monitor?.samples).toBeGreaterThan(10);
  });

  it("a killed manager restarts from its simulated disk and catches up", async () => {
    const { c, id } = await startWith(10);
    const follower = c.managers.find((m) => !m.isLeader)!;
    await follower.kill();
    await c.update((tx) => {
      const s = tx.services.get(id)!;
      tx.update("service", { ...s, spec: withReplicas(s.spec, 15) });
    });
    await converged(c, id, "15 slots");
    await follower.start();
    const leaderVersion = c.view((v) => v.version);
    await c.waitFor(() => follower.store.version >= leaderVersion, {
      what: "the restarted follower to catch up",
    });
    expect(follower.store.view((v) => slotProblems(v, id, { running: true }))).toEqual([]);
  });
});

/** Refusals a loop recovers from by retrying: conflicts and writes cut off by the leader change. */
function isExpected(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return ["version-conflict", "proposal-dropped", "leadership-lost", "stopped", "timeout"].includes(
    code ?? "",
  );
}
