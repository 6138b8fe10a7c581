import type { Task } from "@shoal/store";
import { TaskState } from "@shoal/store";
import { afterEach, describe, expect, it } from "vitest";
import { Allocator } from "../allocator/allocator.ts";
import { REBALANCE_SETTLE_MS } from "../orchestrator/rebalance/rebalancer.ts";
import { Harness } from "../orchestrator/testing/harness.ts";
import { Scheduler } from "../scheduler/scheduler.ts";
import { startAssignedTasks } from "./start-assigned-tasks.ts";

/**
 * The leader's real loops together, on one real store and one fake clock: Allocator (NEW →
 * PENDING), Scheduler (PENDING → ASSIGNED) and every orchestrator (startOrchestrators, the
 * rebalancer included). Only the agents are played, by `startAssignedTasks` (ASSIGNED → RUNNING).
 * The harness's TestAgent, which would also play the scheduler, is never used here.
 */
class Leader {
  readonly h: Harness;
  readonly errors: unknown[];
  private readonly allocator: Allocator;
  private readonly scheduler: Scheduler;

  private constructor(h: Harness) {
    this.h = h;
    this.errors = h.errors;
    const loopOptions = {
      clock: h.clock,
      debounce: { gapMs: 0, delayMsMax: 0 },
      onError: (e: unknown) => h.errors.push(e),
    };
    this.allocator = new Allocator(h.store, loopOptions);
    this.scheduler = new Scheduler(h.store, loopOptions);
  }

  static async start(): Promise<Leader> {
    const leader = new Leader(await Harness.create());
    leader.allocator.start();
    leader.scheduler.start();
    leader.h.start();
    await leader.h.settle();
    return leader;
  }

  async stop(): Promise<void> {
    await this.h.stop();
    await this.scheduler.stop();
    await this.allocator.stop();
  }

  /** Loops and agents in turn until nothing changes any more (time stands still). */
  async converge(roundsMax = 20): Promise<void> {
    for (let round = 0; round < roundsMax; round++) {
      await this.h.settle();
      if ((await startAssignedTasks(this.h.store, this.h.clock)) === 0) return;
    }
    throw new Error(`the cluster did not converge in ${roundsMax} rounds`);
  }

  /** Moves time forward, converging after it (timers such as the rebalancer's settle period fire). */
  async advance(ms: number): Promise<void> {
    await this.h.advance(ms);
    await this.converge();
  }

  async setAvailability(nodeId: string, availability: "active" | "pause" | "drain"): Promise<void> {
    await this.h.store.update((tx) => {
      const node = tx.nodes.get(nodeId);
      if (node === undefined) throw new Error(`no node ${nodeId}`);
      tx.update("node", { ...node, spec: { ...node.spec, availability } });
    });
  }

  /** Tasks desired RUNNING and RUNNING, per node id. */
  runningPerNode(serviceId: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const t of this.h.running(serviceId)) out.set(t.nodeId, (out.get(t.nodeId) ?? 0) + 1);
    return out;
  }
}

const isRunning = (t: Task) => t.desiredState === TaskState.Running && t.status.state === TaskState.Running;

describe("leader loops together (allocator, scheduler, orchestrators, rebalancer)", () => {
  let leader: Leader | undefined;
  afterEach(async () => {
    await leader?.stop();
    leader = undefined;
  });

  it("a replicated service reaches RUNNING, spread over the nodes", async () => {
    leader = await Leader.start();
    const { h } = leader;
    const nodes = [await h.addNode(), await h.addNode(), await h.addNode()];
    const web = await h.createService("web", (s) => ({ ...s, mode: { replicated: { replicas: 6 } } }));
    await leader.converge();

    const tasks = h.runnable(web);
    expect(tasks).toHaveLength(6);
    expect(tasks.every(isRunning)).toBe(true);
    expect(tasks.map((t) => t.slot)).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...leader.runningPerNode(web).entries()].sort()).toEqual(nodes.map((n) => [n, 2]).sort());
    expect(leader.errors).toEqual([]);
  });

  it("a global service runs one task per eligible node; a new node gets one; a drained node's stops", async () => {
    leader = await Leader.start();
    const { h } = leader;
    const web1 = await h.addNode({ labels: { tier: "web" } });
    const web2 = await h.addNode({ labels: { tier: "web" } });
    const db = await h.addNode({ labels: { tier: "db" } });
    const agentService = await h.createService("node-agent", (s) => ({
      ...s,
      mode: { global: {} },
      taskTemplate: {
        ...s.taskTemplate,
        placement: { ...s.taskTemplate.placement, constraints: ["node.labels.tier==web"] },
      },
    }));
    await leader.converge();
    const running = () => h.running(agentService);

    // Each task was created pinned to its node, and the real scheduler kept that node.
    expect(
      running()
        .map((t) => t.nodeId)
        .sort(),
    ).toEqual([web1, web2].sort());
    expect(running().every((t) => t.slot === 0)).toBe(true);
    expect(running().map((t) => t.nodeId)).not.toContain(db);

    // A new eligible node joins: it gets exactly one task.
    const web3 = await h.addNode({ labels: { tier: "web" } });
    await leader.converge();
    expect(
      running()
        .map((t) => t.nodeId)
        .sort(),
    ).toEqual([web1, web2, web3].sort());

    // web1 is drained: its task is shut down and not replaced anywhere.
    const [onWeb1] = running().filter((t) => t.nodeId === web1);
    await leader.setAvailability(web1, "drain");
    await leader.converge();
    const stopped = h.tasks(agentService).find((t) => t.id === onWeb1?.id);
    expect(stopped?.desiredState).toBe(TaskState.Shutdown);
    expect(
      running()
        .map((t) => t.nodeId)
        .sort(),
    ).toEqual([web2, web3].sort());
    expect(
      h.tasks(agentService).filter((t) => t.nodeId === web1 && t.desiredState <= TaskState.Running),
    ).toEqual([]);
    expect(leader.errors).toEqual([]);
  });

  it("a rebalance-auto service moves tasks onto a node that comes back and ends balanced", async () => {
    leader = await Leader.start();
    const { h } = leader;
    const a = await h.addNode();
    const b = await h.addNode();
    const c = await h.addNode();
    await leader.setAvailability(c, "drain");
    const web = await h.createService("web", (s) => ({
      ...s,
      mode: { replicated: { replicas: 6 } },
      rebalance: "auto",
    }));
    await leader.converge();
    expect(leader.runningPerNode(web)).toEqual(
      new Map([
        [a, 3],
        [b, 3],
      ]),
    );

    // c comes back; after the settle period the rebalancer pins replacements to c, the scheduler
    // assigns them there, they start, and the old tasks are shut down (one move at a time).
    await leader.setAvailability(c, "active");
    await leader.converge();
    await leader.advance(REBALANCE_SETTLE_MS);
    for (let i = 0; i < 20 && h.service(web).rebalanceStatus?.state !== "completed"; i++) {
      await leader.advance(1_000);
    }

    expect(h.service(web).rebalanceStatus?.state).toBe("completed");
    expect(leader.runningPerNode(web)).toEqual(
      new Map([
        [a, 2],
        [b, 2],
        [c, 2],
      ]),
    );
    const runnable = h.runnable(web);
    expect(runnable).toHaveLength(6);
    expect(runnable.every(isRunning)).toBe(true);
    expect(new Set(runnable.map((t) => t.slot)).size).toBe(6);
    // The replacements were scheduled by the real scheduler onto the node they were pinned to.
    const moved = runnable.filter((t) => t.nodeId === c);
    expect(moved.every((t) => t.status.state === TaskState.Running)).toBe(true);
    expect(leader.errors).toEqual([]);
  });
});
