import { describe, expect, it } from "vitest";
import { message } from "../codec.ts";
import { RaftError } from "../errors.ts";
import { MessageType, Role } from "../types.ts";
import { checkInvariants } from "./invariants.ts";
import { MemoryStorage } from "./memory-storage.ts";
import { RawNode } from "./raw-node.ts";
import { bytes, TestNetwork, testConfig } from "./test-network.ts";

describe("RawNode", () => {
  it("bootstraps a cluster, elects a leader and replicates a proposal to every member", () => {
    const net = new TestNetwork([1, 2, 3]);
    net.campaign(1);
    expect(net.leaderId()).toBe(1);
    net.propose(1, "x=1");
    for (const id of [1, 2, 3]) expect(net.commands(id)).toEqual(["x=1"]);
    expect(net.node(1).status().progress?.get(2)?.match).toBe(net.node(1).status().commit);
  });

  it("elects a leader by ticking alone", () => {
    const net = new TestNetwork([1, 2, 3]);
    net.tick(30);
    const lead = net.leaderId();
    expect(lead).toBeDefined();
    for (const id of [1, 2, 3]) expect(net.node(id).status().lead).toBe(lead);
  });

  it("refuses local message types from peers", () => {
    const node = new RawNode(testConfig(1, new MemoryStorage()), [1]);
    for (const type of [
      MessageType.Hup,
      MessageType.Beat,
      MessageType.CheckQuorum,
      MessageType.Unreachable,
      MessageType.SnapStatus,
    ]) {
      expect(() => node.step(message({ type, from: 2, to: 1, term: 1 }))).toThrowError(
        expect.objectContaining({ code: "step-local-message" }) as unknown as RaftError,
      );
    }
  });

  it("drops proposals when there is no leader", () => {
    const net = new TestNetwork([1, 2, 3]);
    expect(() => net.node(1).propose(bytes("x"))).toThrow(RaftError);
    try {
      net.node(1).propose(bytes("x"));
    } catch (err) {
      expect((err as RaftError).code).toBe("proposal-dropped");
    }
  });

  it("a single-node cluster elects itself and commits at once", () => {
    const net = new TestNetwork([1]);
    net.campaign(1);
    expect(net.node(1).status().role).toBe(Role.Leader);
    net.propose(1, "a");
    expect(net.commands(1)).toEqual(["a"]);
  });

  it("reports its status: term, vote, commit, applied, leader, role, progress (leader only), membership", () => {
    const net = new TestNetwork([1, 2, 3]);
    net.campaign(1);
    net.propose(1, "a");
    const st = net.node(1).status();
    expect(st).toMatchObject({ id: 1, vote: 1, lead: 1, role: Role.Leader, commit: st.applied });
    expect([...(st.progress?.keys() ?? [])].sort()).toEqual([1, 2, 3]);
    expect(st.confState.voters).toEqual([1, 2, 3]);
    expect(net.node(2).status().progress).toBeUndefined();
  });

  it("restarts from its storage with the same term, vote, commit and membership", () => {
    const net = new TestNetwork([1, 2, 3]);
    net.campaign(1);
    net.propose(1, "a");
    const before = net.node(2).status();
    net.restart(2);
    const after = net.node(2).status();
    expect(after).toMatchObject({
      term: before.term,
      vote: before.vote,
      commit: before.commit,
      applied: before.applied,
    });
    expect(after.confState).toEqual(before.confState);
    net.propose(1, "b");
    expect(net.commands(2)).toEqual(["a", "b"]);
  });

  it("checkInvariants catches a broken node", () => {
    const net = new TestNetwork([1, 2, 3]);
    net.campaign(1);
    checkInvariants(net.node(1));
    net.node(2).raft.log.committed = 99;
    expect(() => checkInvariants(net.node(2))).toThrow(/raft invariant violated/);
    net.node(1).raft.trk.progress.get(1)!.match = 0;
    expect(() => checkInvariants(net.node(1))).toThrow(/own match/);
  });

  it("asserts that commit never goes beyond the log", () => {
    const node = new RawNode(testConfig(1, new MemoryStorage()), [1, 2, 3]);
    expect(() =>
      node.step(message({ type: MessageType.Heartbeat, from: 2, to: 1, term: 2, commit: 50 })),
    ).toThrow(/beyond the last index/);
  });
});
