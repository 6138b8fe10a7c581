import { StoreError, TaskState } from "@shoal/store";
import { createTestStore } from "@shoal/store/testing";
import { describe, expect, it, vi } from "vitest";
import { AllocationError } from "./allocation-error.ts";
import { Allocator } from "./allocator.ts";
import { reserveServicePorts } from "./reserve-ports.ts";
import { createCluster, network, newTask, service, taskState, testId } from "./test-kit.ts";

describe("reserveServicePorts (control API)", () => {
  it("reserves inside the create transaction and refuses a conflict", async () => {
    const { store } = createTestStore();
    await createCluster(store);
    const a = service(
      1,
      [],
      [
        [80, 8080],
        [443, 0],
      ],
    );
    await store.update((tx) => {
      const endpoint = reserveServicePorts(tx, {
        serviceId: a.id as string,
        endpointSpec: a.spec.endpointSpec,
      });
      tx.create("service", { ...a, endpoint });
    });
    expect(
      store.view((v) => v.services.get(testId("s", 1))?.endpoint?.ports.map((p) => p.publishedPort)),
    ).toEqual([8080, 30000]);
    const b = service(2, [], [[80, 8080]]);
    await expect(
      store.update((tx) =>
        reserveServicePorts(tx, { serviceId: b.id as string, endpointSpec: b.spec.endpointSpec }),
      ),
    ).rejects.toThrow(AllocationError);
  });

  it("makes two transactions built on the same version conflict", async () => {
    const { store, log } = createTestStore({ hold: true });
    const created = createCluster(store);
    log.commit();
    await created;
    const create = (i: number) => {
      const s = service(i, [], [[80, 0]]);
      return store.update((tx) => {
        tx.create("service", {
          ...s,
          endpoint: reserveServicePorts(tx, { serviceId: s.id as string, endpointSpec: s.spec.endpointSpec }),
        });
      });
    };
    const first = create(1);
    const second = create(2);
    log.commit();
    await first;
    await expect(second).rejects.toSatisfy((e) => e instanceof StoreError && e.code === "version-conflict");
  });
});

describe("Allocator loop", () => {
  it("allocates networks, service VIPs and task addresses, moves tasks to PENDING, frees on delete, rebuilds", async () => {
    const { store } = createTestStore();
    await createCluster(store);
    await store.update((tx) => {
      tx.create("network", network(1, { ingress: true }));
      tx.create("network", network(2));
      tx.create("service", service(1, [2], [[80, 0]]));
      for (const i of [1, 2]) tx.create("task", newTask(i, 1, [2]));
    });
    const opts = { debounce: { gapMs: 5, delayMsMax: 50 } };
    let allocator = new Allocator(store, opts);
    allocator.start();
    await vi.waitFor(() => expect(taskState(store, 2)).toBe(TaskState.Pending));
    const addresses = (i: number) =>
      store.view((v) => v.tasks.get(testId("t", i))?.networksAttachments.map((a) => a.addresses[0]));
    expect(store.view((v) => v.networks.get(testId("w", 2))?.ipam)).toEqual([
      { subnet: "10.0.1.0/24", gateway: "10.0.1.1" },
    ]);
    const endpoint = store.view((v) => v.services.get(testId("s", 1))?.endpoint);
    expect(endpoint?.ports[0]?.publishedPort).toBe(30000);
    expect(endpoint?.virtualIps.map((v) => v.addr)).toEqual(["10.0.0.2/24", "10.0.1.2/24"]);
    expect([addresses(1), addresses(2)]).toEqual([
      ["10.0.0.3/24", "10.0.1.3/24"],
      ["10.0.0.4/24", "10.0.1.4/24"],
    ]);
    expect(store.view((v) => v.tasks.get(testId("t", 1))?.endpoint)).toEqual(endpoint);

    // Delete task 1: its addresses go to the next task.
    await store.update((tx) => {
      const t = tx.tasks.get(testId("t", 1));
      if (t) tx.delete("task", t);
      tx.create("task", newTask(3, 1, [2]));
    });
    await vi.waitFor(() => expect(taskState(store, 3)).toBe(TaskState.Pending));
    expect(addresses(3)).toEqual(["10.0.0.3/24", "10.0.1.3/24"]);

    // A new leader rebuilds from the store: nothing in use is handed out again.
    await allocator.stop();
    await store.update((tx) => tx.create("task", newTask(4, 1, [2])));
    allocator = new Allocator(store, opts);
    allocator.start();
    await vi.waitFor(() => expect(taskState(store, 4)).toBe(TaskState.Pending));
    expect(addresses(4)).toEqual(["10.0.0.5/24", "10.0.1.5/24"]);
    await allocator.stop();
    await allocator.stop();
  });

  it("leaves a task NEW while its network is missing, and reports allocation failures", async () => {
    const { store } = createTestStore();
    const errors: unknown[] = [];
    await store.update((tx) => {
      tx.create("network", network(1, { subnet: "10.9.0.0/30" }));
      tx.create("service", service(1, [1]));
      tx.create("service", service(2, [7]));
      tx.create("task", newTask(1, 1, [1]));
      tx.create("task", newTask(2, 1, [1]));
      tx.create("task", newTask(3, 2, [7]));
    });
    const allocator = new Allocator(store, {
      debounce: { gapMs: 5, delayMsMax: 50 },
      onError: (e) => errors.push(e),
    });
    allocator.start();
    await vi.waitFor(() =>
      expect(errors.some((e) => e instanceof AllocationError && e.code === "addresses-exhausted")).toBe(true),
    );
    // The /30 has one usable address beyond the gateway: the VIP took it.
    expect([taskState(store, 1), taskState(store, 2), taskState(store, 3)]).toEqual([
      TaskState.New,
      TaskState.New,
      TaskState.New,
    ]);
    await allocator.stop();
  });
});
