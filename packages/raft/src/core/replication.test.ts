/** Log replication: progress states, flow control, batching, backtracking, limits and forwarding. */
import { describe, expect, it } from "vitest";
import { EntryType, MessageType } from "../types.ts";
import { bytes, raftErrorCode, TestNetwork } from "./test-network.ts";

const plain = { preVote: false, checkQuorum: false };

describe("progress states", () => {
  it("followers are probed after an election, then replicated to once they answer", () => {
    const net = new TestNetwork([1, 2, 3], plain);
    net.ignore(MessageType.AppResp);
    net.campaign(1);
    expect(net.node(1).status().progress?.get(2)?.state).toBe("probe");
    net.recover();
    net.propose(1, "a"); // still paused: the probe was not answered
    expect(net.node(1).status().progress?.get(2)?.state).toBe("probe");
    net.tick(1); // a heartbeat response unpauses; the next probe is accepted
    expect(net.node(1).status().progress?.get(2)?.state).toBe("replicate");
    expect(net.commands(2)).toEqual(["a"]);
  });

  it("an unreachable follower falls back to probing", () => {
    const net = new TestNetwork([1, 2, 3], plain);
    net.campaign(1);
    net.node(1).reportUnreachable(2);
    expect(net.node(1).status().progress?.get(2)?.state).toBe("probe");
  });
});

describe("flow control", () => {
  it("at most maxInflightMsgs appends are in flight to a follower in replicate state", () => {
    const net = new TestNetwork([1, 2, 3], { ...plain, maxInflightMsgs: 2 });
    net.campaign(1);
    net.ignore(MessageType.AppResp);
    for (let i = 0; i < 6; i++) net.propose(1, `p${i}`);
    const sent = net.delivered.filter(
      (m) => m.type === MessageType.App && m.to === 2 && m.entries.length > 0,
    );
    const afterElection = sent.filter((m) => m.entries.some((e) => e.data.length > 0));
    expect(afterElection.length).toBe(2);
    const pr = net.node(1).status().progress?.get(2);
    expect(pr).toMatchObject({ state: "replicate", inflight: 2, paused: true });
    // Acknowledgements free the window and the rest streams out.
    net.recover();
    net.tick(1);
    expect(net.commands(2)).toEqual(["p0", "p1", "p2", "p3", "p4", "p5"]);
  });

  it("a probed follower gets one append at a time", () => {
    const net = new TestNetwork([1, 2, 3], plain);
    net.campaign(1);
    net.node(1).reportUnreachable(2);
    net.isolate(2);
    for (let i = 0; i < 3; i++) net.propose(1, `p${i}`);
    expect(net.node(1).status().progress?.get(2)).toMatchObject({ state: "probe", paused: true });
  });

  it("appends carry at most maxSizePerMsgBytes of entries (but at least one entry)", () => {
    const net = new TestNetwork([1, 2, 3], { ...plain, maxSizePerMsgBytes: 20 });
    net.campaign(1);
    net.isolate(3);
    for (let i = 0; i < 10; i++) net.propose(1, `entry-${i}`); // 7 bytes each
    net.recover();
    net.tick(3);
    expect(net.commands(3)).toHaveLength(10);
    const toThree = net.delivered.filter(
      (m) => m.type === MessageType.App && m.to === 3 && m.entries.length > 1,
    );
    expect(toThree.length).toBeGreaterThan(0);
    for (const m of toThree) expect(m.entries.reduce((n, e) => n + e.data.length, 0)).toBeLessThanOrEqual(20);
    const big = "x".repeat(50);
    net.propose(1, big);
    expect(net.commands(3).at(-1)).toBe(big);
  });
});

describe("log backtracking", () => {
  it("a follower with a long divergent log is fixed in a few round trips (rejectHint + logTerm)", () => {
    const net = new TestNetwork([1, 2, 3], plain);
    net.campaign(1);
    net.propose(1, "base");
    // Node 1 piles up 30 uncommitted entries of its term that nobody else gets.
    net.isolate(1);
    for (let i = 0; i < 30; i++) net.node(1).propose(bytes(`stale-${i}`));
    net.settle();
    net.recover();
    net.cut(1, 2);
    net.cut(1, 3);
    net.campaign(2);
    for (let i = 0; i < 40; i++) net.propose(2, `new-${i}`);
    // A later leader starts probing node 1 at its own (long) last index.
    net.campaign(3);
    net.recover();
    const before = net.delivered.length;
    net.tick(3);
    const rejects = net.delivered
      .slice(before)
      .filter((m) => m.type === MessageType.AppResp && m.reject && m.from === 1);
    // Without the hint, the leader would step back one index per round trip (over 40 rejections).
    expect(rejects.length).toBe(1);
    expect(net.commands(1)).toEqual(["base", ...Array.from({ length: 40 }, (_, i) => `new-${i}`)]);
  });
});

describe("limits", () => {
  it("refuses a proposal over maxProposalBytes with proposal-too-large", () => {
    const net = new TestNetwork([1, 2, 3], { ...plain, maxProposalBytes: 100 });
    net.campaign(1);
    expect(raftErrorCode(() => net.node(1).propose(new Uint8Array(101)))).toBe("proposal-too-large");
    expect(raftErrorCode(() => net.node(2).propose(new Uint8Array(101)))).toBe("proposal-too-large");
    expect(raftErrorCode(() => net.node(1).propose(new Uint8Array(100)))).toBeUndefined();
  });

  it("drops proposals once uncommitted entries reach maxUncommittedEntriesBytes", () => {
    const net = new TestNetwork([1, 2, 3], { ...plain, maxUncommittedEntriesBytes: 100 });
    net.campaign(1);
    net.isolate(1);
    let accepted = 0;
    for (let i = 0; i < 20; i++) {
      if (raftErrorCode(() => net.node(1).propose(new Uint8Array(30))) === undefined) accepted++;
    }
    expect(accepted).toBe(3); // 30+30+30 <= 100 < 120
    expect(raftErrorCode(() => net.node(1).propose(new Uint8Array(30)))).toBe("proposal-dropped");
    // Once they commit the budget is free again.
    net.recover();
    net.tick(2);
    net.settle();
    expect(raftErrorCode(() => net.node(1).propose(new Uint8Array(30)))).toBeUndefined();
  });

  it("hands out at most maxCommittedSizePerReadyBytes of committed entries per Ready", () => {
    const net = new TestNetwork([1], { ...plain, maxCommittedSizePerReadyBytes: 25 });
    net.campaign(1);
    const node = net.node(1);
    for (let i = 0; i < 10; i++) node.propose(new Uint8Array(10).fill(i));
    const m = net.member(1);
    const sizes: number[] = [];
    while (node.hasReady()) {
      const rd = node.ready();
      m.storage.append(rd.entries);
      if (rd.hardState) m.storage.setHardState(rd.hardState);
      sizes.push(
        rd.committedEntries.filter((e) => e.type === EntryType.Normal).reduce((n, e) => n + e.data.length, 0),
      );
      node.advance(rd);
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(100);
    for (const s of sizes) expect(s).toBeLessThanOrEqual(25);
  });
});

describe("proposal forwarding", () => {
  it("a follower forwards proposals to the leader", () => {
    const net = new TestNetwork([1, 2, 3], plain);
    net.campaign(1);
    net.propose(3, "from-follower");
    for (const id of [1, 2, 3]) expect(net.commands(id)).toEqual(["from-follower"]);
  });

  it("with forwarding disabled a follower refuses proposals", () => {
    const net = new TestNetwork([1, 2, 3], { ...plain, disableProposalForwarding: true });
    net.campaign(1);
    expect(raftErrorCode(() => net.node(3).propose(bytes("x")))).toBe("proposal-dropped");
  });
});

describe("Ready", () => {
  it("carries entries to persist with mustSync, state changes once, and messages", () => {
    const net = new TestNetwork([1, 2, 3], plain);
    net.campaign(1);
    const node = net.node(1);
    node.propose(bytes("a"));
    const rd = node.ready();
    expect(rd.entries.map((e) => e.data.length)).toEqual([1]);
    expect(rd.mustSync).toBe(true);
    expect(rd.softState).toBeUndefined(); // unchanged since the last Ready
    expect(rd.messages.filter((m) => m.type === MessageType.App)).toHaveLength(2);
    expect(() => node.ready()).toThrow(/advance/);
    const m = net.member(1);
    m.storage.append(rd.entries);
    node.advance(rd);
    expect(node.hasReady()).toBe(false);
  });
});
