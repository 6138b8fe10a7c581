/** Snapshots: sending one to a follower that needs compacted entries, restoring, reporting. */
import { describe, expect, it } from "vitest";
import { message } from "../codec.ts";
import { MessageType, SnapshotStatus } from "../types.ts";
import { bytes, TestNetwork, text } from "./test-network.ts";

const plain = { preVote: false, checkQuorum: false };

function lagBehindCompaction(net: TestNetwork): number {
  net.campaign(1);
  net.isolate(3);
  for (let i = 0; i < 10; i++) net.propose(1, `c${i}`);
  net.snapshotAndCompact(1);
  return net.member(1).storage.snapshot().metadata.index;
}

describe("snapshots", () => {
  it("a leader sends its snapshot to a follower that needs compacted entries; the follower restores it", () => {
    const net = new TestNetwork([1, 2, 3], plain);
    const snapIndex = lagBehindCompaction(net);
    net.recover();
    net.tick(3);
    const m3 = net.member(3);
    expect(m3.snapshotsApplied).toBe(1);
    expect(text(m3.storage.snapshot().data)).toBe("snap-1");
    expect(m3.storage.firstIndex()).toBe(snapIndex + 1);
    expect(m3.confState.voters).toEqual([1, 2, 3]);
    expect(net.node(1).status().progress?.get(3)?.state).toBe("replicate");
    // Replication continues from the snapshot on.
    net.propose(1, "after");
    expect(net.commands(3)).toEqual(["after"]);
    expect(net.node(3).status().commit).toBe(net.node(1).status().commit);
  });

  it("a follower sent nothing else while its snapshot is in flight, and probes again on failure", () => {
    const net = new TestNetwork([1, 2, 3], plain);
    lagBehindCompaction(net);
    net.recover();
    net.ignore(MessageType.Snap); // the transport reports each lost snapshot as a failure
    net.tick(1);
    const pr = net.node(1).status().progress?.get(3);
    expect(pr?.state).toBe("probe");
    expect(net.member(3).snapshotsApplied).toBe(0);
    net.recover();
    net.tick(3);
    expect(net.member(3).snapshotsApplied).toBe(1);
  });

  it("stays in snapshot state until the snapshot is reported", () => {
    const net = new TestNetwork([1, 2, 3], plain);
    lagBehindCompaction(net);
    net.recover();
    const leader = net.node(1);
    leader.reportUnreachable(3); // back to probing from its match index, which is compacted
    const pr = leader.raft.trk.progress.get(3)!;
    pr.recentActive = true; // as if node 3 had just answered a heartbeat
    pr.msgAppFlowPaused = false;
    leader.raft.sendAppend(3);
    const snaps = net.drain().filter((m) => m.type === MessageType.Snap);
    expect(snaps).toHaveLength(1);
    expect(leader.status().progress?.get(3)?.state).toBe("snapshot");
    leader.propose(bytes("x"));
    expect(net.drain().filter((m) => m.to === 3 && m.type === MessageType.App)).toHaveLength(0);
    leader.reportSnapshot(3, SnapshotStatus.Finish);
    expect(leader.status().progress?.get(3)).toMatchObject({ state: "probe", paused: true });
  });

  it("a follower ignores a snapshot older than its commit index", () => {
    const net = new TestNetwork([1, 2, 3], plain);
    net.campaign(1);
    net.propose(1, "a");
    const commit = net.node(2).status().commit;
    const snapshot = {
      metadata: { index: 2, term: 1, confState: net.node(2).status().confState },
      data: bytes("old"),
    };
    const term = net.node(2).status().term;
    net.node(2).step(message({ type: MessageType.Snap, from: 1, to: 2, term, snapshot }));
    const [resp] = net.drain().filter((m) => m.from === 2);
    expect(resp).toMatchObject({ type: MessageType.AppResp, index: commit });
    expect(net.member(2).snapshotsApplied).toBe(0);
  });

  it("a node restarts from a snapshot plus the entries after it", () => {
    const net = new TestNetwork([1, 2, 3], plain);
    lagBehindCompaction(net);
    net.recover();
    net.tick(3);
    net.propose(1, "after");
    net.restart(3);
    const st = net.node(3).status();
    expect(st.confState.voters).toEqual([1, 2, 3]);
    expect(st.commit).toBe(net.node(1).status().commit);
    net.propose(1, "after-restart");
    expect(net.commands(3)).toEqual(["after", "after-restart"]);
  });
});
