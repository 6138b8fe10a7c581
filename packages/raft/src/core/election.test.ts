/** Leader election with pre-vote, check-quorum and the leader lease: disruption scenarios. */
import { describe, expect, it } from "vitest";
import { message } from "../codec.ts";
import { MessageType, Role } from "../types.ts";
import { TestNetwork } from "./test-network.ts";

const both = { preVote: true, checkQuorum: true };

describe("pre-vote", () => {
  it("a partitioned node does not raise its term, and rejoining does not depose the leader", () => {
    const net = new TestNetwork([1, 2, 3], both);
    net.campaign(1);
    const term = net.node(1).status().term;
    net.isolate(3);
    net.tick(100, [3]);
    // Node 3 keeps pre-campaigning without ever winning, so its term stays put.
    expect(net.node(3).status().term).toBe(term);
    expect(net.node(3).status().role).toBe(Role.PreCandidate);
    net.recover();
    net.tick(20);
    expect(net.leaderId()).toBe(1);
    for (const id of [1, 2, 3]) expect(net.node(id).status()).toMatchObject({ term, lead: 1 });
  });

  it("without pre-vote, the same rejoining node disrupts the cluster with its higher term", () => {
    const net = new TestNetwork([1, 2, 3], { preVote: false, checkQuorum: false });
    net.campaign(1);
    const term = net.node(1).status().term;
    net.isolate(3);
    net.tick(100, [3]);
    expect(net.node(3).status().term).toBeGreaterThan(term + 3);
    net.recover();
    net.tick(30); // node 3's next vote request carries its higher term and deposes the leader
    expect(net.node(1).status().term).toBeGreaterThan(term + 3);
  });

  it("a pre-vote is granted at a future term without changing the voter's term or vote", () => {
    const net = new TestNetwork([1, 2, 3], both);
    net.isolate(2);
    net.isolate(3);
    const before = net.node(2).status();
    net
      .node(2)
      .step(
        message({ type: MessageType.PreVote, from: 3, to: 2, term: before.term + 1, index: 3, logTerm: 1 }),
      );
    const [resp] = net.drain().filter((m) => m.from === 2);
    expect(resp).toMatchObject({
      type: MessageType.PreVoteResp,
      to: 3,
      term: before.term + 1,
      reject: false,
    });
    expect(net.node(2).status()).toMatchObject({ term: before.term, vote: before.vote });
  });

  it("a pre-candidate whose log is behind loses and stays at its term", () => {
    const net = new TestNetwork([1, 2, 3], both);
    net.campaign(1);
    net.isolate(3);
    net.propose(1, "a"); // nodes 1 and 2 are ahead of 3
    net.recover();
    const term = net.node(3).status().term;
    net.campaign(3);
    expect(net.node(3).status().term).toBe(term);
    expect(net.node(3).status().role).not.toBe(Role.Leader);
    expect(net.node(1).status()).toMatchObject({ term, role: Role.Leader });
    expect(net.node(2).status()).toMatchObject({ term, lead: 1 });
  });
});

describe("check-quorum", () => {
  it("a leader steps down when it has not heard from a quorum within an election timeout", () => {
    const net = new TestNetwork([1, 2, 3], both);
    net.campaign(1);
    net.isolate(1);
    net.tick(10, [1]);
    expect(net.node(1).status().role).toBe(Role.Leader); // the first check marks peers inactive
    net.tick(10, [1]);
    expect(net.node(1).status().role).toBe(Role.Follower);
    expect(() => net.node(1).propose(new Uint8Array([1]))).toThrow(/no leader/);
  });

  it("a leader that keeps hearing from a quorum stays leader", () => {
    const net = new TestNetwork([1, 2, 3], both);
    net.campaign(1);
    net.isolate(3);
    net.tick(100, [1, 2]);
    expect(net.node(1).status().role).toBe(Role.Leader);
  });

  it("followers ignore vote requests while they heard from a live leader (leader lease)", () => {
    const net = new TestNetwork([1, 2, 3], { preVote: false, checkQuorum: true });
    net.campaign(1);
    const term = net.node(1).status().term;
    net.tick(2);
    // Node 3 forces an election (e.g. a buggy or partitioned peer): 2 still hears from 1 and ignores it.
    net.cut(1, 3);
    net.campaign(3);
    expect(net.node(2).status()).toMatchObject({ term, lead: 1 });
    expect(net.node(1).status()).toMatchObject({ term, role: Role.Leader });
    expect(net.node(3).status().role).toBe(Role.Candidate);
  });

  it("a follower grants votes again once the leader has been silent for an election timeout", () => {
    const net = new TestNetwork([1, 2, 3], { preVote: false, checkQuorum: true });
    net.campaign(1);
    net.isolate(1);
    net.tick(10, [2]); // node 2's lease expires (10 ticks, before its own randomised timeout fires)
    net.tick(9, [3]);
    net.campaign(3);
    expect(net.node(3).status().role).toBe(Role.Leader);
    expect(net.node(2).status().lead).toBe(3);
  });

  it("a stale leader rejoining learns the new term and steps down", () => {
    const net = new TestNetwork([1, 2, 3], both);
    net.campaign(1);
    net.isolate(1);
    net.tick(30, [2, 3]);
    const lead = net.leaderId();
    expect(lead === 2 || lead === 3).toBe(true);
    net.recover();
    net.tick(1, [1]);
    net.tick(2);
    expect(net.node(1).status()).toMatchObject({ role: Role.Follower, lead });
  });
});

describe("elections in general", () => {
  it("a learner never campaigns", () => {
    const net = new TestNetwork([1, 2, 3], both);
    net.campaign(1);
    net.node(1).proposeConfChange({
      transition: "auto",
      changes: [{ type: 2, nodeId: 4 }],
      context: new Uint8Array(),
    });
    net.add(4);
    net.settle();
    net.tick(2);
    expect(net.node(4).status().confState.learners).toEqual([4]);
    net.isolate(4);
    net.tick(100, [4]);
    expect(net.node(4).status().role).toBe(Role.Follower);
    net.campaign(4);
    expect(net.node(4).status().role).toBe(Role.Follower);
  });

  it("a node with unapplied committed conf changes does not campaign", () => {
    const net = new TestNetwork([1, 2, 3], both);
    const r = net.node(2).raft;
    r.log.applied = 0;
    r.log.applying = 0;
    net.node(2).campaign();
    expect(net.node(2).status().role).toBe(Role.Follower);
  });
});
