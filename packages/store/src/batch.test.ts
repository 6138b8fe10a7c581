import { describe, expect, it } from "vitest";
import { seededRandomBytes } from "./objects/ids.ts";
import type { Proposer } from "./proposer.ts";
import { Store } from "./store.ts";
import { makeNode, makeService, makeTask } from "./testing/fixtures.ts";
import { LocalLog } from "./testing/local-log.ts";
import { createTestStore } from "./testing/test-store.ts";

describe("batch", () => {
  it("splits operations into transactions under proposalBytesMax, each committed on its own", async () => {
    const { store, log } = createTestStore({ proposalBytesMax: 4 * 1024 });
    const { value: serviceId } = await store.update((tx) =>
      tx.create("service", makeService(store.newId(), "web")),
    );
    const result = await store.batch((tx) => {
      for (let slot = 1; slot <= 500; slot++) tx.create("task", makeTask(store.newId(), serviceId, slot));
    });
    expect(result.transactionCount).toBeGreaterThan(3);
    expect(result.versions).toHaveLength(result.transactionCount);
    expect(result.failures).toEqual([]);
    for (const entry of log.entries) expect(entry.length).toBeLessThanOrEqual(4 * 1024);
    expect(store.view((v) => v.tasks.countByService(serviceId))).toBe(500);
  });

  it("reports which operations a refused transaction held, and commits the others", async () => {
    const { store } = createTestStore({ proposalBytesMax: 2 * 1024 });
    const { value: taken } = await store.update((tx) => tx.create("node", makeNode(store.newId(), "h0")));
    const result = await store.batch((tx) => {
      for (let i = 0; i < 40; i++) tx.create("node", makeNode(store.newId(), `h${i + 1}`));
      tx.create("node", makeNode(taken, "again")); // the last transaction is refused: the id exists
    });
    expect(result.failures).toHaveLength(1);
    const [failure] = result.failures;
    expect(failure?.error).toMatchObject({ code: "exists" });
    expect((failure?.firstOp ?? 0) + (failure?.opCount ?? 0)).toBe(41);
    expect(store.view((v) => v.nodes.count())).toBe(1 + 41 - (failure?.opCount ?? 0));
  });

  it("keeps at most batchProposalsInFlightMax proposals in flight", async () => {
    const log = new LocalLog();
    let inFlight = 0;
    let inFlightMax = 0;
    const counting: Proposer = {
      async propose(data) {
        inFlight++;
        inFlightMax = Math.max(inFlightMax, inFlight);
        await new Promise((r) => setTimeout(r, 1));
        const result = await log.propose(data);
        inFlight--;
        return result;
      },
    };
    const store = log.attach(
      new Store({
        proposer: counting,
        randomBytes: seededRandomBytes(1),
        proposalBytesMax: 2 * 1024,
        batchProposalsInFlightMax: 3,
      }),
    );
    const result = await store.batch((tx) => {
      for (let i = 0; i < 200; i++) tx.create("node", makeNode(store.newId(), `h${i}`));
    });
    expect(result.transactionCount).toBeGreaterThan(6);
    expect(inFlightMax).toBe(3);
    expect(store.view((v) => v.nodes.count())).toBe(200);
  });

  it("passes the proposer's own errors through", async () => {
    const dropped = Object.assign(new Error("no leader"), { code: "proposal-dropped" });
    const store = new Store({ proposer: { propose: () => Promise.reject(dropped) } });
    const result = await store.batch((tx) => tx.create("node", makeNode(store.newId(), "h1")));
    expect(result.failures[0]?.error).toMatchObject({ code: "proposal-failed", cause: dropped });
    expect(result.errors).toEqual([result.failures[0]?.error]);
    await expect(store.update((tx) => tx.create("node", makeNode(store.newId(), "h1")))).rejects.toBe(
      dropped,
    );
  });
});
