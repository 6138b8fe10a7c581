import type { Node, ServiceSpec } from "@shoal/store";
import { TaskState } from "@shoal/store";
import { afterEach, describe, expect, it } from "vitest";
import { Harness } from "../testing/harness.ts";

let h: Harness;
afterEach(async () => {
  await h?.stop();
  expect(h?.errors ?? []).toEqual([]);
});

function global(constraints: string[] = []) {
  return (s: ServiceSpec): ServiceSpec => ({
    ...s,
    mode: { global: {} },
    taskTemplate: { ...s.taskTemplate, placement: { ...s.taskTemplate.placement, constraints } },
  });
}

function nodesOf(tasks: { nodeId: string }[]): string[] {
  return tasks.map((t) => t.nodeId).sort();
}

describe("global orchestrator", () => {
  it("runs one task per eligible node, with the node chosen (slot 0)", async () => {
    h = await Harness.create();
    const a = await h.addNode();
    const b = await h.addNode();
    h.start();
    const id = await h.createService("agent", global());
    await h.settle();
    const tasks = h.runnable(id);
    expect(nodesOf(tasks)).toEqual([a, b].sort());
    expect(tasks.every((t) => t.slot === 0 && t.status.state === TaskState.New)).toBe(true);
  });

  it("adds a task when a node joins and shuts it down when the node leaves", async () => {
    h = await Harness.create();
    const a = await h.addNode();
    h.start();
    const id = await h.createService("agent", global());
    await h.converge();
    const b = await h.addNode();
    await h.converge();
    expect(nodesOf(h.running(id))).toEqual([a, b].sort());
    await h.store.update((tx) => tx.delete("node", tx.nodes.get(b) as Node));
    await h.converge();
    expect(nodesOf(h.runnable(id))).toEqual([a]);
  });

  it.each([
    ["drain", (n: Node): Node => ({ ...n, spec: { ...n.spec, availability: "drain" } }), false],
    ["down", (n: Node): Node => ({ ...n, status: { ...n.status, state: "down" } }), false],
    ["pause", (n: Node): Node => ({ ...n, spec: { ...n.spec, availability: "pause" } }), true],
  ] as const)("a %s node: keeps its task = %s", async (_, change, keeps) => {
    h = await Harness.create();
    const a = await h.addNode();
    const b = await h.addNode();
    h.start();
    const id = await h.createService("agent", global());
    await h.converge();
    await h.agent.setNode(b, change);
    await h.converge();
    expect(nodesOf(h.running(id))).toEqual(keeps ? [a, b].sort() : [a]);
  });

  it("a paused node gets no new task", async () => {
    h = await Harness.create();
    const a = await h.addNode();
    const b = await h.addNode();
    await h.agent.setNode(b, (n) => ({ ...n, spec: { ...n.spec, availability: "pause" } }));
    h.start();
    const id = await h.createService("agent", global());
    await h.converge();
    expect(nodesOf(h.runnable(id))).toEqual([a]);
  });

  it("follows constraints as node labels change", async () => {
    h = await Harness.create();
    const a = await h.addNode({ labels: { zone: "x" } });
    const b = await h.addNode({ labels: { zone: "y" } });
    h.start();
    const id = await h.createService("agent", global(["node.labels.zone == x"]));
    await h.converge();
    expect(nodesOf(h.running(id))).toEqual([a]);
    await h.agent.setNode(b, (n) => ({ ...n, spec: { ...n.spec, labels: { zone: "x" } } }));
    await h.agent.setNode(a, (n) => ({ ...n, spec: { ...n.spec, labels: {} } }));
    await h.converge();
    expect(nodesOf(h.running(id))).toEqual([b]);
  });

  it("restarts a failed global task on the same node", async () => {
    h = await Harness.create();
    const a = await h.addNode();
    h.start();
    const id = await h.createService("agent", (s) => {
      const g = global()(s);
      return {
        ...g,
        taskTemplate: { ...g.taskTemplate, restartPolicy: { ...g.taskTemplate.restartPolicy, delayMs: 0 } },
      };
    });
    await h.converge();
    const first = h.running(id)[0];
    await h.agent.fail(first?.id ?? "");
    await h.converge();
    const now = h.running(id);
    expect(now).toHaveLength(1);
    expect(now[0]?.id).not.toBe(first?.id);
    expect(now[0]?.nodeId).toBe(a);
  });
});
