import { TaskState } from "@shoal/store";
import { createTestStore } from "@shoal/store/testing";
import { describe, expect, it } from "vitest";
import { node, pendingTask, put, schedule, testId } from "./test-kit.ts";

const GIB = 1024 ** 3;

/** One task of service 1 against the given nodes: where it went, or its PENDING message. */
async function placeOne(
  nodes: ReturnType<typeof node>[],
  patch: Parameters<typeof pendingTask>[2] = () => {},
) {
  const { store } = createTestStore();
  await put(store, nodes, [pendingTask(1, 1, patch)]);
  const { decisions } = schedule(store);
  return {
    nodeId: decisions.assignments.get(testId("t", 1)),
    message: decisions.messages.get(testId("t", 1)),
  };
}

describe("filters, each with its explanation", () => {
  it("node ready and active", async () => {
    const r = await placeOne([
      node(1, (n) => {
        n.status.state = "down";
      }),
      node(2, (n) => {
        n.spec.availability = "drain";
      }),
      node(3, (n) => {
        n.spec.availability = "pause";
      }),
      node(4),
    ]);
    expect(r.nodeId).toBe(testId("n", 4));
    const none = await placeOne([
      node(1, (n) => {
        n.status.state = "disconnected";
      }),
    ]);
    expect(none.message).toBe("no suitable node (1 node not available for new tasks)");
  });

  it("resource reservations (CPU and memory)", async () => {
    const small = (i: number) =>
      node(i, (n) => {
        if (n.description) n.description.resources = { nanoCpus: 1e9, memoryBytes: 1 * GIB };
      });
    const r = await placeOne([small(1), small(2)], (t) => {
      t.spec.resources.reservations = { nanoCpus: 2e9, memoryBytes: 0 };
    });
    expect(r.message).toBe("no suitable node (2 nodes insufficient resources)");
    const mem = await placeOne([small(1)], (t) => {
      t.spec.resources.reservations = { nanoCpus: 0, memoryBytes: 2 * GIB };
    });
    expect(mem.message).toBe("no suitable node (1 node insufficient resources)");
  });

  it("counts what tasks already on the node reserve, and frees it when they stop", async () => {
    const { store } = createTestStore();
    const one = node(1, (n) => {
      if (n.description) n.description.resources = { nanoCpus: 1e9, memoryBytes: GIB };
    });
    const running = pendingTask(1, 1, (t) => {
      t.nodeId = testId("n", 1);
      t.status.state = TaskState.Running;
      t.spec.resources.reservations = { nanoCpus: 6e8, memoryBytes: 0 };
    });
    const next = pendingTask(2, 1, (t) => {
      t.spec.resources.reservations = { nanoCpus: 6e8, memoryBytes: 0 };
    });
    await put(store, [one], [running, next]);
    expect(schedule(store).decisions.messages.get(testId("t", 2))).toBe(
      "no suitable node (1 node insufficient resources)",
    );
    await store.update((tx) => {
      const t = tx.tasks.get(testId("t", 1));
      if (t) tx.update("task", { ...t, status: { ...t.status, state: TaskState.Failed } });
    });
    expect(schedule(store).decisions.assignments.get(testId("t", 2))).toBe(testId("n", 1));
  });

  it("constraints", async () => {
    const r = await placeOne(
      [
        node(1, (n) => {
          n.spec.labels.zone = "a";
        }),
        node(2, (n) => {
          n.spec.labels.zone = "b";
        }),
      ],
      (t) => {
        t.spec.placement.constraints = ["node.labels.zone==b"];
      },
    );
    expect(r.nodeId).toBe(testId("n", 2));
    const none = await placeOne([node(1), node(2)], (t) => {
      t.spec.placement.constraints = ["node.role==manager"];
    });
    expect(none.message).toBe("no suitable node (2 nodes scheduling constraints not satisfied)");
  });

  it("host-mode published port free", async () => {
    const { store } = createTestStore();
    const endpoint = {
      spec: { mode: "vip" as const, ports: [] },
      ports: [
        { protocol: "tcp" as const, targetPort: 80, publishedPort: 8080, publishMode: "host" as const },
      ],
      virtualIps: [],
    };
    const holder = pendingTask(1, 2, (t) => {
      t.nodeId = testId("n", 1);
      t.status.state = TaskState.Running;
      t.endpoint = endpoint;
    });
    const tasks = [2, 3, 4].map((i) =>
      pendingTask(i, 1, (t) => {
        t.endpoint = endpoint;
      }),
    );
    await put(store, [node(1), node(2), node(3)], [holder, ...tasks]);
    const { decisions } = schedule(store);
    expect(new Set(decisions.assignments.values())).toEqual(new Set([testId("n", 2), testId("n", 3)]));
    expect(decisions.messages.get(testId("t", 4))).toBe(
      "no suitable node (3 nodes host-mode port already in use)",
    );
  });

  it("max replicas per node", async () => {
    const { store } = createTestStore();
    const tasks = [1, 2, 3, 4, 5].map((i) =>
      pendingTask(i, 1, (t) => {
        t.spec.placement.maxReplicas = 2;
      }),
    );
    await put(store, [node(1), node(2)], tasks);
    const { decisions } = schedule(store);
    expect(decisions.assignments.size).toBe(4);
    expect(decisions.messages.get(testId("t", 5))).toBe(
      "no suitable node (2 nodes max replicas per node reached)",
    );
  });

  it("explains per filter, in swarm's order, with node counts", async () => {
    const r = await placeOne(
      [
        node(1, (n) => {
          n.status.state = "down";
        }),
        node(2, (n) => {
          n.spec.availability = "drain";
        }),
        node(3, (n) => {
          n.spec.labels.zone = "b";
        }),
        node(4, (n) => {
          if (n.description) n.description.resources.memoryBytes = 0;
        }),
      ],
      (t) => {
        t.spec.placement.constraints = ["node.labels.zone==a"];
      },
    );
    expect(r.message).toBe(
      "no suitable node (2 nodes not available for new tasks; 1 node insufficient resources; 1 node scheduling constraints not satisfied)",
    );
    expect((await placeOne([])).message).toBe("no suitable node");
  });

  it("writes a PENDING message only when it changes", async () => {
    const { store } = createTestStore();
    await put(
      store,
      [
        node(1, (n) => {
          n.status.state = "down";
        }),
      ],
      [pendingTask(1, 1)],
    );
    const first = schedule(store).decisions;
    expect(first.messages.size).toBe(1);
    await store.update((tx) => {
      const t = tx.tasks.get(testId("t", 1));
      const message = first.messages.get(testId("t", 1)) as string;
      if (t) tx.update("task", { ...t, status: { ...t.status, message } });
    });
    expect(schedule(store).decisions.messages.size).toBe(0);
    await put(
      store,
      [
        node(2, (n) => {
          n.spec.availability = "pause";
        }),
      ],
      [],
    );
    expect(schedule(store).decisions.messages.get(testId("t", 1))).toBe(
      "no suitable node (2 nodes not available for new tasks)",
    );
  });
});
