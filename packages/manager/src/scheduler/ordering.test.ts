import { TaskState } from "@shoal/store";
import { createTestStore } from "@shoal/store/testing";
import { describe, expect, it } from "vitest";
import { SERVICE_FAILURE_WINDOW_MS, SERVICE_FAILURES_MAX } from "./node-info.ts";
import { node, pendingTask, perNode, put, schedule, testId } from "./test-kit.ts";

const running = (i: number, service: number, nodeIndex: number) =>
  pendingTask(i, service, (t) => {
    t.nodeId = testId("n", nodeIndex);
    t.status.state = TaskState.Running;
  });

describe("node ordering", () => {
  it("prefers the node with the fewest tasks of the service, then the fewest tasks", async () => {
    const { store } = createTestStore();
    // n1: 1 task of s1; n2: 3 tasks of s2; n3: 1 task of s2.
    await put(
      store,
      [node(1), node(2), node(3)],
      [running(100, 1, 1), running(101, 2, 2), running(102, 2, 2), running(103, 2, 2), running(104, 2, 3)],
    );
    await put(store, [], [pendingTask(1, 1)]);
    expect(schedule(store).decisions.assignments.get(testId("t", 1))).toBe(testId("n", 3));
  });

  it("tries last the nodes where the service failed 5 times in 5 minutes", async () => {
    const { store, clock } = createTestStore();
    const nowMs = 10 * 60 * 1_000;
    const failed = Array.from({ length: SERVICE_FAILURES_MAX }, (_, k) =>
      pendingTask(200 + k, 1, (t) => {
        t.nodeId = testId("n", 1);
        t.status = { state: TaskState.Failed, message: "exit 1", timestampMs: nowMs - 1_000 * k };
      }),
    );
    clock.nowMs = nowMs;
    // n1 is empty but failing; n2 already runs two tasks.
    await put(
      store,
      [node(1), node(2)],
      [...failed, running(100, 2, 2), running(101, 2, 2), pendingTask(1, 1)],
    );
    expect(schedule(store, nowMs).decisions.assignments.get(testId("t", 1))).toBe(testId("n", 2));
    // Once the failures are older than the window, n1 is back in front.
    const later = nowMs + SERVICE_FAILURE_WINDOW_MS;
    expect(schedule(store, later).decisions.assignments.get(testId("t", 1))).toBe(testId("n", 1));
    // Failures seen on the watch count too.
    const { state } = schedule(store, later);
    state.nodes.get(testId("n", 2))?.recordFailure(testId("s", 1), later);
    expect(state.nodes.get(testId("n", 2))?.hasFailedRecently(testId("s", 1), later)).toBe(false);
  });

  it("spreads evenly over a label, nodes lacking it forming their own group", async () => {
    const { store } = createTestStore();
    const zone = (i: number, z: string | undefined) =>
      node(i, (n) => {
        if (z !== undefined) n.spec.labels.zone = z;
      });
    // zone a: 3 nodes, zone b: 1 node, no zone: 2 nodes.
    const nodes = [
      zone(1, "a"),
      zone(2, "a"),
      zone(3, "a"),
      zone(4, "b"),
      zone(5, undefined),
      zone(6, undefined),
    ];
    const tasks = Array.from({ length: 9 }, (_, k) =>
      pendingTask(k + 1, 1, (t) => {
        t.spec.placement.preferences = [{ spread: "node.labels.zone" }];
      }),
    );
    await put(store, nodes, tasks);
    const counts = perNode(schedule(store).decisions);
    const inZone = (ids: number[]) => ids.reduce((s, i) => s + (counts.get(testId("n", i)) ?? 0), 0);
    expect([inZone([1, 2, 3]), inZone([4]), inZone([5, 6])]).toEqual([3, 3, 3]);
  });

  it("spreads over two label levels (a tree)", async () => {
    const { store } = createTestStore();
    // dc1: rack r1 (1 node), r2 (3 nodes); dc2: rack r3 (2 nodes).
    const layout: [number, string, string][] = [
      [1, "dc1", "r1"],
      [2, "dc1", "r2"],
      [3, "dc1", "r2"],
      [4, "dc1", "r2"],
      [5, "dc2", "r3"],
      [6, "dc2", "r3"],
    ];
    const nodes = layout.map(([i, dc, rack]) =>
      node(i, (n) => void Object.assign(n.spec.labels, { dc, rack })),
    );
    const tasks = Array.from({ length: 8 }, (_, k) =>
      pendingTask(k + 1, 1, (t) => {
        t.spec.placement.preferences = [{ spread: "node.labels.dc" }, { spread: "node.labels.rack" }];
      }),
    );
    await put(store, nodes, tasks);
    const counts = perNode(schedule(store).decisions);
    const c = (i: number) => counts.get(testId("n", i)) ?? 0;
    expect(c(1) + c(2) + c(3) + c(4)).toBe(4);
    expect(c(5) + c(6)).toBe(4);
    expect(c(1)).toBe(2); // rack r1 gets half of dc1
    expect([c(2), c(3), c(4)].sort()).toEqual([0, 1, 1]);
    expect([c(5), c(6)]).toEqual([2, 2]);
  });

  it("counts existing tasks of the service when spreading", async () => {
    const { store } = createTestStore();
    const nodes = [
      node(1, (n) => {
        n.spec.labels.zone = "a";
      }),
      node(2, (n) => {
        n.spec.labels.zone = "b";
      }),
    ];
    const pref = (t: ReturnType<typeof pendingTask>) => {
      t.spec.placement.preferences = [{ spread: "node.labels.zone" }];
    };
    const existing = [100, 101, 102].map((i) =>
      pendingTask(i, 1, (t) => {
        pref(t);
        t.nodeId = testId("n", 1);
        t.status.state = TaskState.Running;
      }),
    );
    await put(store, nodes, [...existing, ...[1, 2, 3, 4, 5].map((i) => pendingTask(i, 1, pref))]);
    const counts = perNode(schedule(store).decisions);
    expect([counts.get(testId("n", 1)), counts.get(testId("n", 2))]).toEqual([1, 4]);
  });
});
