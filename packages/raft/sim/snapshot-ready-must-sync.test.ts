/**
 * Found by the simulator (seed 727 with --unsafe-stale-reads, and seeds 344 and 848): a follower
 * installs a snapshot from its leader in a Ready whose hard state only raises the commit index,
 * so mustSync was false. The caller syncs the snapshot (it always does) but not the hard state;
 * a crash then leaves a durable snapshot at 34 with a durable commit of 0, and the restart fails
 * "hard state commit 0 is out of range [34, 34]". A Ready carrying a snapshot must be synced.
 */
import { describe, expect, it } from "vitest";
import { MemoryStorage } from "../src/core/memory-storage.ts";
import { RawNode } from "../src/core/raw-node.ts";
import { DEFAULT_CONFIG, MessageType, message, type Ready } from "../src/index.ts";
import { runSeed } from "./run-seed.ts";
import { DEFAULT_SIM_OPTIONS } from "./seed-config.ts";

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function persist(storage: MemoryStorage, rd: Ready): void {
  if (rd.snapshot !== undefined) storage.applySnapshot(rd.snapshot);
  storage.append(rd.entries);
  if (rd.hardState !== undefined) storage.setHardState(rd.hardState);
}

describe("a Ready that installs a snapshot", () => {
  it("asks for a sync, so the durable commit index never trails the durable snapshot", () => {
    const storage = new MemoryStorage();
    const node = new RawNode({ ...DEFAULT_CONFIG, id: 2, storage, rng: { intn: () => 0 }, logger: silent });
    // Term 1 arrives first (synced: the term changed).
    node.step(message({ type: MessageType.Heartbeat, from: 1, to: 2, term: 1 }));
    let rd = node.ready();
    persist(storage, rd);
    node.advance(rd);
    // Then a snapshot in the same term: only the commit index changes in the hard state.
    const snapshot = {
      metadata: {
        index: 34,
        term: 1,
        confState: { voters: [1, 2], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false },
      },
      data: new Uint8Array(0),
    };
    node.step(message({ type: MessageType.Snap, from: 1, to: 2, term: 1, snapshot }));
    rd = node.ready();
    expect(rd.snapshot?.metadata.index).toBe(34);
    expect(rd.mustSync).toBe(true);
  });

  it("no longer breaks the restart in the seed that found it", () => {
    expect(runSeed(727, { ...DEFAULT_SIM_OPTIONS, unsafeStaleReads: true }).verdict).not.toBe("error");
  });
});
