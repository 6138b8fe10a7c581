import { describe, expect, it } from "vitest";
import { seededRandomBytes } from "./objects/ids.ts";
import type { Proposer } from "./proposer.ts";
import { type ApplyResult, Store } from "./store.ts";
import { makeNode } from "./testing/fixtures.ts";

/** The Raft driver's view of a state machine (packages/raft/src/driver/ports.ts), restated. */
interface DriverStateMachine<R> {
  apply(command: Uint8Array, entry: { term: number; index: number; type: number; data: Uint8Array }): R;
  snapshot(): Uint8Array;
  restore(data: Uint8Array): void;
}

/**
 * Behaves as the driver does: wraps nothing, skips conf-change and empty entries (so indexes
 * have gaps), applies in order and resolves a proposal with the state machine's result.
 */
class FakeDriver implements Proposer {
  constructor(
    private readonly machines: DriverStateMachine<ApplyResult>[],
    /** The last index in the log (a snapshot's index after a restore). */
    private index = 0,
  ) {}

  confChange(): void {
    this.index++;
  }

  async propose(data: Uint8Array): Promise<ApplyResult> {
    const entry = { term: 1, index: ++this.index, type: 0, data };
    const results = this.machines.map((m) => m.apply(data, entry));
    return results[0] as ApplyResult;
  }
}

describe("the Raft driver contract", () => {
  it("uses the store as the driver's state machine, with gaps in the applied indexes", async () => {
    const leader = new Store({ randomBytes: seededRandomBytes(1) });
    const follower = new Store({ randomBytes: seededRandomBytes(2) });
    const driver = new FakeDriver([leader, follower]);
    await expect(
      leader.update((tx) => tx.create("node", makeNode(leader.newId(), "h1"))),
    ).rejects.toMatchObject({
      code: "not-writable",
    });
    leader.setProposer(driver);
    driver.confChange(); // index 1 never reaches the store
    const { version, value: id } = await leader.update((tx) =>
      tx.create("node", makeNode(leader.newId(), "h1")),
    );
    expect(version).toBe(2);
    expect(follower.view((v) => v.nodes.get(id)?.version)).toBe(2);

    // A snapshot taken by the driver at a later index than the store's last change restores.
    driver.confChange();
    const late = new Store({});
    late.restore(leader.snapshot());
    expect(late.version).toBe(2);
    const afterSnapshot = new FakeDriver([late], 3);
    const node = late.view((v) => v.nodes.get(id)!);
    late.setProposer(afterSnapshot);
    await expect(late.update((tx) => tx.update("node", node))).resolves.toMatchObject({ version: 4 });
  });
});
