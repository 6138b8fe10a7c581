import type { Node, Service, Task } from "@shoal/store";
import { TaskState } from "@shoal/store";
import { makeNode, makeServiceSpec, makeTask } from "@shoal/store/testing";
import { describe, expect, it } from "vitest";
import { NodeInfo } from "../../scheduler/node-info.ts";
import { isTaskHeld, taskLoad } from "../../scheduler/task-load.ts";
import { planRebalance, type RebalancePlan } from "./rebalance-plan.ts";

const NOW_MS = 100_000;

interface Case {
  readonly name: string;
  /** Tasks per node (nodes a, b, c), all RUNNING, created at 0. */
  readonly spread: readonly number[];
  readonly parallelism?: number;
  readonly delayMs?: number;
  /** Extra tasks: replacements of this rebalance (started at 50,000). */
  readonly replacements?: readonly { slot: number; node: number; state: TaskState; atMs?: number }[];
  readonly expect: (plan: RebalancePlan, nodes: readonly string[]) => void;
}

/** The pure core on hand-made inputs: one service, three nodes, the scheduler's NodeInfo model. */
const cases: Case[] = [
  {
    name: "moves from the most loaded node to the empty one, one per parallelism",
    spread: [5, 4, 0],
    expect: (plan, nodes) => {
      expect(plan.moves.map((m) => [m.fromNodeId, m.toNodeId])).toEqual([[nodes[0], nodes[2]]]);
      expect(plan.balanced).toBe(false);
    },
  },
  {
    name: "plans a whole batch with parallelism 0",
    spread: [5, 4, 0],
    parallelism: 0,
    expect: (plan) => expect(plan.moves).toHaveLength(3),
  },
  {
    name: "a difference of one is balanced",
    spread: [3, 3, 4],
    expect: (plan) => {
      expect(plan.moves).toEqual([]);
      expect(plan.balanced).toBe(true);
    },
  },
  {
    name: "a replacement not running yet fills the parallelism",
    spread: [5, 4, 0],
    replacements: [{ slot: 1, node: 2, state: TaskState.Assigned }],
    expect: (plan) => {
      expect(plan.moves).toEqual([]);
      expect(plan.inFlight).toBe(1);
      expect(plan.balanced).toBe(false);
    },
  },
  {
    name: "replacements the scheduler has not assigned yet count on their target",
    spread: [5, 4, 0],
    parallelism: 0,
    replacements: [
      { slot: 1, node: 2, state: TaskState.Pending },
      { slot: 2, node: 2, state: TaskState.Pending },
      { slot: 6, node: 2, state: TaskState.Pending },
    ],
    expect: (plan) => {
      expect(plan.moves).toEqual([]);
      expect(plan.inFlight).toBe(3);
      expect(plan.pending.map((t) => t.slot)).toEqual([1, 2, 6]);
    },
  },
  {
    name: "a running replacement stops its old task; the next batch waits out the delay",
    spread: [5, 4, 0],
    delayMs: 60_000,
    replacements: [{ slot: 1, node: 2, state: TaskState.Running, atMs: 60_000 }],
    expect: (plan) => {
      expect(plan.stopNow.map((t) => t.slot)).toEqual([1]);
      expect(plan.moves).toEqual([]);
      expect(plan.wakeAtMs).toBe(120_000);
    },
  },
  {
    name: "a failed replacement stops everything",
    spread: [5, 4, 0],
    replacements: [{ slot: 1, node: 2, state: TaskState.Failed }],
    expect: (plan) => {
      expect(plan.failures.map((t) => t.slot)).toEqual([1]);
      expect(plan.moves).toEqual([]);
      expect(plan.balanced).toBe(false);
    },
  },
];

describe("planRebalance", () => {
  it.each(cases)("$name", (c) => {
    const nodes = ["a", "b", "c"].map((id) => node(id));
    const service = makeService(c.parallelism ?? 1, c.delayMs ?? 0);
    const tasks: Task[] = [];
    let slot = 1;
    c.spread.forEach((n, i) => {
      for (let k = 0; k < n; k++) tasks.push(task(service, slot++, nodes[i] as Node, TaskState.Running, 0));
    });
    for (const r of c.replacements ?? []) {
      const t = task(service, r.slot, nodes[r.node] as Node, r.state, 50_000);
      tasks.push({ ...t, id: `r${r.slot}`, status: { ...t.status, timestampMs: r.atMs ?? 50_000 } });
    }
    const model = new Map(nodes.map((n) => [n.id, new NodeInfo(n)]));
    // The scheduler's rule for what a task holds on its node (a PENDING pinned task holds nothing).
    for (const t of tasks) if (isTaskHeld(t)) model.get(t.nodeId)?.addTask(t.id, taskLoad(t));
    const plan = planRebalance({ service, tasks, nodes: model, nowMs: NOW_MS, startedAtMs: 40_000 });
    c.expect(
      plan,
      nodes.map((n) => n.id),
    );
  });
});

function node(id: string): Node {
  return { ...makeNode(id, id), version: 1, createdAtMs: 0, updatedAtMs: 0 };
}

function makeService(parallelism: number, delayMs: number): Service {
  const spec = makeServiceSpec("web", 9);
  return {
    id: "svc",
    version: 1,
    createdAtMs: 0,
    updatedAtMs: 0,
    spec: { ...spec, rebalance: "auto", updateConfig: { ...spec.updateConfig, parallelism, delayMs } },
  };
}

function task(service: Service, slot: number, on: Node, state: TaskState, createdAtMs: number): Task {
  const t = makeTask(`t${slot}`, service.id, slot, service.spec.taskTemplate);
  return {
    ...t,
    nodeId: on.id,
    version: 1,
    createdAtMs,
    updatedAtMs: createdAtMs,
    status: { state, message: "", timestampMs: createdAtMs },
  };
}
