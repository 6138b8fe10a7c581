import { type Service, TaskState } from "@shoal/store";
import { afterEach, describe, expect, it } from "vitest";
import { Harness } from "../testing/harness.ts";
import { runUntil } from "../update/update-test-steps.ts";
import { REBALANCE_START_TIMEOUT_MS } from "./rebalance-plan.ts";
import {
  createReplicated,
  nodeBack,
  nodeDown,
  type Observed,
  observe,
  runningPerNode,
  spreadOf,
} from "./rebalance-test-steps.ts";

let h: Harness;
let watch: Observed | undefined;
afterEach(async () => {
  watch?.stop();
  watch = undefined;
  await h?.stop();
  expect(h?.errors ?? []).toEqual([]);
});

const auto = (s: import("@shoal/store").ServiceSpec) => ({ ...s, rebalance: "auto" as const });
const statusOf = (id: string): Service["rebalanceStatus"] => h.service(id).rebalanceStatus;
const completed = (id: string) => () => statusOf(id)?.state === "completed";

/** Three nodes, the third down while `replicas` tasks are placed on the first two. */
async function pileOnTwo(
  replicas: number,
  change: (s: import("@shoal/store").ServiceSpec) => import("@shoal/store").ServiceSpec,
): Promise<{ id: string; nodes: string[] }> {
  h = await Harness.create();
  const nodes = [await h.addNode({ hostname: "a" }), await h.addNode({ hostname: "b" })];
  nodes.push(await h.addNode({ hostname: "c" }));
  await nodeDown(h, nodes[2] as string);
  h.start();
  const id = await createReplicated(h, replicas, change);
  expect(spreadOf(h, id, nodes).slice(2)).toEqual([0]);
  return { id, nodes };
}

async function setClusterDefault(mode: "auto" | "off"): Promise<void> {
  await h.store.update((tx) => {
    const c = tx.clusters.all()[0];
    if (c === undefined) throw new Error("no cluster");
    const orchestration = { ...c.spec.orchestration, rebalance: mode };
    tx.update("cluster", { ...c, spec: { ...c.spec, orchestration } });
  });
}

describe("rebalancer", () => {
  it("evens out 9 replicas piled on two nodes once the third comes back, never below 9 running", async () => {
    const { id, nodes } = await pileOnTwo(9, auto);
    expect(spreadOf(h, id, nodes).sort()).toEqual([0, 4, 5]);
    watch = observe(h, id);
    await nodeBack(h, nodes[2] as string);
    await runUntil(h, completed(id));
    expect(spreadOf(h, id, nodes)).toEqual([3, 3, 3]);
    expect(h.runnable(id).map((t) => t.slot)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(watch.minRunning).toBe(9);
    expect(watch.maxInFlight).toBe(1); // parallelism 1
    expect(statusOf(id)?.message).toBe("rebalance completed");
  });

  it("does nothing until the node has been up for the settle period", async () => {
    const { id, nodes } = await pileOnTwo(9, auto);
    const before = spreadOf(h, id, nodes);
    await h.agent.setNode(nodes[2] as string, (n) => ({ ...n, status: { ...n.status, state: "ready" } }));
    await h.advance(5_000);
    await h.converge();
    expect(spreadOf(h, id, nodes)).toEqual(before);
    expect(statusOf(id)).toBeUndefined();
    await h.advance(5_000);
    await runUntil(h, completed(id));
    expect(spreadOf(h, id, nodes)).toEqual([3, 3, 3]);
  });

  it("leaves services that did not opt in, or opted out, untouched", async () => {
    const { id: plain, nodes } = await pileOnTwo(6, (s) => s);
    const off = await createReplicated(h, 4, (s) => ({ ...s, name: "off", rebalance: "off" }));
    await setClusterDefault("off");
    const before = [spreadOf(h, plain, nodes), spreadOf(h, off, nodes)];
    await nodeBack(h, nodes[2] as string);
    await h.advance(30_000);
    await h.converge();
    expect([spreadOf(h, plain, nodes), spreadOf(h, off, nodes)]).toEqual(before);
    expect(statusOf(plain)).toBeUndefined();
    expect(statusOf(off)).toBeUndefined();
  });

  it('follows the cluster-wide default; a service\'s own "off" wins over it', async () => {
    const { id, nodes } = await pileOnTwo(6, (s) => s);
    const off = await createReplicated(h, 4, (s) => ({ ...s, name: "off", rebalance: "off" }));
    const offBefore = spreadOf(h, off, nodes);
    await setClusterDefault("auto");
    await nodeBack(h, nodes[2] as string);
    await runUntil(h, completed(id));
    expect(spreadOf(h, id, nodes)).toEqual([2, 2, 2]);
    expect(spreadOf(h, off, nodes)).toEqual(offBefore);
  });

  it("moves nothing to a node that does not satisfy the constraints", async () => {
    h = await Harness.create();
    const a = await h.addNode({ hostname: "a", labels: { tier: "web" } });
    const b = await h.addNode({ hostname: "b", labels: { tier: "web" } });
    const c = await h.addNode({ hostname: "c", labels: { tier: "db" } });
    await nodeDown(h, c);
    h.start();
    const id = await createReplicated(h, 6, (s) => ({
      ...auto(s),
      taskTemplate: {
        ...s.taskTemplate,
        placement: { ...s.taskTemplate.placement, constraints: ["node.labels.tier==web"] },
      },
    }));
    await nodeBack(h, c);
    await h.advance(30_000);
    await h.converge();
    expect(spreadOf(h, id, [a, b, c])).toEqual([3, 3, 0]);
    expect(statusOf(id)).toBeUndefined();
  });

  it("keeps max replicas per node even where the spread groups stay uneven", async () => {
    h = await Harness.create();
    const a = await h.addNode({ hostname: "a", labels: { rack: "1" } });
    const rack2 = [];
    for (const hostname of ["b", "c", "d"]) rack2.push(await h.addNode({ hostname, labels: { rack: "2" } }));
    const d = rack2[2] as string;
    await nodeDown(h, d);
    h.start();
    const id = await createReplicated(h, 6, (s) => ({
      ...auto(s),
      taskTemplate: {
        ...s.taskTemplate,
        placement: {
          ...s.taskTemplate.placement,
          maxReplicas: 2,
          preferences: [{ spread: "node.labels.rack" }],
        },
      },
    }));
    expect(spreadOf(h, id, [a, ...rack2])).toEqual([2, 2, 2, 0]);
    await nodeBack(h, d);
    await runUntil(h, completed(id));
    const counts = spreadOf(h, id, [a, ...rack2]);
    expect(counts[0]).toBe(2); // rack 1 would want 3: its only node is full
    expect(counts.slice(1).sort()).toEqual([1, 1, 2]);
  });

  it("balances spread preference groups, not just nodes", async () => {
    h = await Harness.create();
    const a = await h.addNode({ hostname: "a", labels: { rack: "1" } });
    const b = await h.addNode({ hostname: "b", labels: { rack: "1" } });
    const c = await h.addNode({ hostname: "c", labels: { rack: "2" } });
    await nodeDown(h, c);
    h.start();
    const id = await createReplicated(h, 6, (s) => ({
      ...auto(s),
      taskTemplate: {
        ...s.taskTemplate,
        placement: { ...s.taskTemplate.placement, preferences: [{ spread: "node.labels.rack" }] },
      },
    }));
    await nodeBack(h, c);
    await runUntil(h, completed(id));
    const [ca = 0, cb = 0, cc = 0] = spreadOf(h, id, [a, b, c]);
    expect([ca + cb, cc]).toEqual([3, 3]);
    expect(Math.abs(ca - cb)).toBeLessThanOrEqual(1);
  });

  it("moves `parallelism` tasks at a time, the next batch `delayMs` after the last one started", async () => {
    const { id, nodes } = await pileOnTwo(9, (s) => ({
      ...auto(s),
      updateConfig: { ...s.updateConfig, parallelism: 2, delayMs: 10_000, monitorMs: 0 },
    }));
    watch = observe(h, id);
    await nodeBack(h, nodes[2] as string);
    await h.converge();
    expect(spreadOf(h, id, nodes)[2]).toBe(2);
    await h.advance(9_000);
    await h.converge();
    expect(spreadOf(h, id, nodes)[2]).toBe(2);
    await h.advance(1_000);
    await runUntil(h, completed(id));
    expect(spreadOf(h, id, nodes)).toEqual([3, 3, 3]);
    expect(watch.maxInFlight).toBe(2);
    expect(watch.minRunning).toBe(9);
  });

  it("pauses when a replacement fails, says why, and moves nothing more", async () => {
    const { id, nodes } = await pileOnTwo(9, auto);
    watch = observe(h, id);
    await nodeBack(h, nodes[2] as string);
    await h.settle();
    await h.agent.schedule();
    const replacement = h.runnable(id).find((t) => t.nodeId === nodes[2]);
    expect(replacement).toBeDefined();
    await h.agent.fail(replacement?.id ?? "");
    await h.converge();
    expect(statusOf(id)?.state).toBe("paused");
    expect(statusOf(id)?.message).toContain(replacement?.id ?? "?");
    const paused = spreadOf(h, id, nodes);
    await h.advance(60_000);
    await h.converge();
    expect(spreadOf(h, id, nodes)).toEqual(paused);
    expect(paused[2]).toBe(0);
    expect([...runningPerNode(h, id).values()].reduce((x, y) => x + y, 0)).toBe(9);
    expect(watch.minRunning).toBe(9);
  });
  it("a new leader resumes a rebalance where it stood, without duplicate slots", async () => {
    const { id, nodes } = await pileOnTwo(9, auto);
    watch = observe(h, id);
    await nodeBack(h, nodes[2] as string);
    await h.converge(2);
    expect(statusOf(id)?.state).toBe("rebalancing");
    await h.stop();
    await h.agent.step();
    h.start();
    await runUntil(h, completed(id));
    expect(spreadOf(h, id, nodes)).toEqual([3, 3, 3]);
    expect(h.runnable(id).map((t) => t.slot)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(watch.minRunning).toBe(9);
  });
  it("withdraws a replacement whose target goes down, and starts again when it comes back", async () => {
    const { id, nodes } = await pileOnTwo(9, auto);
    const c = nodes[2] as string;
    watch = observe(h, id);
    await nodeBack(h, c);
    const [fresh] = h.runnable(id).filter((t) => t.nodeId === c);
    expect(fresh).toBeDefined();
    await nodeDown(h, c);
    await h.settle();
    expect(h.tasks(id).find((t) => t.id === fresh?.id)?.desiredState).toBe(TaskState.Shutdown);
    await h.converge();
    expect(h.runnable(id).filter((t) => t.nodeId === c)).toEqual([]);
    expect(statusOf(id)?.state).toBe("completed"); // nowhere left to move to
    await nodeBack(h, c);
    await runUntil(h, completed(id));
    expect(spreadOf(h, id, nodes)).toEqual([3, 3, 3]);
    expect(watch.minRunning).toBe(9);
  });
  it("pauses when a replacement does not start in time", async () => {
    const { id, nodes } = await pileOnTwo(9, auto);
    await nodeBack(h, nodes[2] as string);
    const [stuck] = h.runnable(id).filter((t) => t.nodeId === nodes[2]);
    expect(stuck).toBeDefined();
    await h.advance(REBALANCE_START_TIMEOUT_MS); // nothing schedules or starts it meanwhile
    expect(statusOf(id)?.state).toBe("paused");
    expect(statusOf(id)?.message).toContain("did not start in time");
    expect(h.tasks(id).find((t) => t.id === stuck?.id)?.desiredState).toBe(TaskState.Shutdown);
    await h.converge();
    expect(spreadOf(h, id, nodes)[2]).toBe(0);
    expect(h.running(id)).toHaveLength(9);
  });
});
