import { TaskState } from "@shoal/store";
import { createTestStore } from "@shoal/store/testing";
import { describe, expect, it, vi } from "vitest";
import { Scheduler } from "./scheduler.ts";
import { PINNED_ASSIGNED_MESSAGE } from "./scheduler-state.ts";
import { node, pendingTask, put, schedule, testId } from "./test-kit.ts";

const GIB = 1024 ** 3;
const n = (i: number) => testId("n", i);
const t = (i: number) => testId("t", i);

/** A node with 1 CPU and 1 GiB. */
const small = (i: number, patch: Parameters<typeof node>[1] = () => {}) =>
  node(i, (x) => {
    if (x.description) x.description.resources = { nanoCpus: 1e9, memoryBytes: GIB };
    patch(x);
  });

/** A PENDING task of `service` created with its node set (a global task, a rebalance replacement). */
const pinnedTask = (i: number, service: number, nodeIndex: number, cpus = 0) =>
  pendingTask(i, service, (x) => {
    x.nodeId = n(nodeIndex);
    x.spec.resources.reservations = { nanoCpus: cpus * 1e9, memoryBytes: 0 };
  });

describe("tasks pinned to a node (created with nodeId set)", () => {
  it("go to their own node when it passes the filters, even when another node is emptier", async () => {
    const { store } = createTestStore();
    const busy = pendingTask(9, 2, (x) => {
      x.nodeId = n(1);
      x.status.state = TaskState.Running;
    });
    await put(store, [node(1), node(2)], [busy, pinnedTask(1, 1, 1)]);
    const { decisions } = schedule(store);
    expect(decisions.assignments.get(t(1))).toBe(n(1));
    expect(decisions.messages.size).toBe(0);
  });

  it("stay PENDING with a message naming the node and the failing filter", async () => {
    const cases: [string, ReturnType<typeof node>, number, string][] = [
      [
        "drained",
        small(1, (x) => {
          x.spec.availability = "drain";
        }),
        0,
        "not available for new tasks",
      ],
      [
        "down",
        small(1, (x) => {
          x.status.state = "down";
        }),
        0,
        "not available for new tasks",
      ],
      ["too small", small(1), 2, "insufficient resources"],
    ];
    for (const [what, one, cpus, reason] of cases) {
      const { store } = createTestStore();
      await put(store, [one, small(2)], [pinnedTask(1, 1, 1, cpus)]);
      const { decisions } = schedule(store);
      expect(decisions.assignments.size, what).toBe(0);
      expect(decisions.messages.get(t(1)), what).toBe(
        `node ${n(1)} (host-1) cannot take the task: ${reason}`,
      );
    }
  });

  it("are checked against their node's constraints and host ports", async () => {
    const { store } = createTestStore();
    const constrained = pendingTask(1, 1, (x) => {
      x.nodeId = n(1);
      x.spec.placement.constraints = ["node.role==manager"];
    });
    await put(store, [node(1)], [constrained]);
    expect(schedule(store).decisions.messages.get(t(1))).toBe(
      `node ${n(1)} (host-1) cannot take the task: scheduling constraints not satisfied`,
    );
  });

  it("reserve their node's resources once assigned, before unassigned tasks are placed", async () => {
    const { store } = createTestStore();
    // Two pinned tasks want the whole node: the first (by slot) gets it, the second waits.
    const tasks = [pinnedTask(1, 1, 1, 1), pinnedTask(2, 1, 1, 1), pendingTask(3, 2)];
    (tasks[2] as (typeof tasks)[number]).spec.resources.reservations = { nanoCpus: 5e8, memoryBytes: 0 };
    await put(store, [small(1)], tasks);
    const { decisions, state } = schedule(store);
    expect(decisions.assignments.get(t(1))).toBe(n(1));
    expect(decisions.assignments.has(t(2))).toBe(false);
    expect(decisions.messages.get(t(2))).toBe(
      `node ${n(1)} (host-1) cannot take the task: insufficient resources`,
    );
    expect(decisions.messages.get(t(3))).toBe("no suitable node (1 node insufficient resources)");
    expect(state.nodes.get(n(1))?.availableNanoCpus).toBe(0);
  });

  it("hold nothing on their node while PENDING", async () => {
    const { store } = createTestStore();
    // The pinned task cannot run (constraints); an unpinned task still gets the node's resources.
    const pinned = pendingTask(1, 1, (x) => {
      x.nodeId = n(1);
      x.spec.placement.constraints = ["node.role==manager"];
      x.spec.resources.reservations = { nanoCpus: 1e9, memoryBytes: 0 };
    });
    const free = pendingTask(2, 2, (x) => {
      x.spec.resources.reservations = { nanoCpus: 1e9, memoryBytes: 0 };
    });
    await put(store, [small(1)], [pinned, free]);
    const { decisions } = schedule(store);
    expect(decisions.assignments.get(t(2))).toBe(n(1));
    expect(decisions.assignments.has(t(1))).toBe(false);
  });

  it("wait with a message when their node is not in the cluster", async () => {
    const { store } = createTestStore();
    await put(store, [node(1)], [pinnedTask(1, 1, 7)]);
    expect(schedule(store).decisions.messages.get(t(1))).toBe(
      `node ${n(7)} cannot take the task: node not found`,
    );
  });

  it("loop: assigns a pinned task to its node, and writes its message only when it changes", async () => {
    const { store } = createTestStore();
    await put(
      store,
      [
        node(1),
        small(2, (x) => {
          x.spec.availability = "pause";
        }),
      ],
      [pinnedTask(1, 1, 1)],
    );
    const scheduler = new Scheduler(store, { debounce: { gapMs: 5, delayMsMax: 50 } });
    scheduler.start();
    const task = (i: number) => store.view((v) => v.tasks.get(t(i)));
    await vi.waitFor(() => expect(task(1)?.status.state).toBe(TaskState.Assigned));
    expect(task(1)).toMatchObject({ nodeId: n(1), status: { message: PINNED_ASSIGNED_MESSAGE } });

    await put(store, [], [pinnedTask(2, 1, 2)]);
    const message = `node ${n(2)} (host-2) cannot take the task: not available for new tasks`;
    await vi.waitFor(() => expect(task(2)?.status.message).toBe(message));
    const version = task(2)?.version;
    await put(store, [], [pendingTask(3, 3)]); // another pass
    await vi.waitFor(() => expect(task(3)?.nodeId).toBe(n(1)));
    await new Promise((r) => setTimeout(r, 30));
    expect(task(2)?.version).toBe(version);
    expect(task(2)?.nodeId).toBe(n(2));

    // The node is activated: the task goes there, nowhere else.
    await store.update((tx) => {
      const two = tx.nodes.get(n(2));
      if (two) tx.update("node", { ...two, spec: { ...two.spec, availability: "active" } });
    });
    await vi.waitFor(() => expect(task(2)?.status.state).toBe(TaskState.Assigned));
    expect(task(2)?.nodeId).toBe(n(2));
    scheduler.model?.checkInvariants();
    await scheduler.stop();
  });
});
