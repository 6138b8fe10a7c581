/** Leadership transfer: TimeoutNow once caught up, abort after an election timeout, proposals dropped. */
import { describe, expect, it } from "vitest";
import { ConfChangeType, MessageType, Role } from "../types.ts";
import { bytes, raftErrorCode, TestNetwork } from "./test-network.ts";

const both = { preVote: true, checkQuorum: true };

describe("leadership transfer", () => {
  it("hands leadership to a caught-up follower at once, past pre-vote and the leader lease", () => {
    const net = new TestNetwork([1, 2, 3], both);
    net.campaign(1);
    const term = net.node(1).status().term;
    net.node(1).transferLeadership(2);
    net.settle();
    expect(net.node(2).status()).toMatchObject({ role: Role.Leader, term: term + 1 });
    for (const id of [1, 3]) expect(net.node(id).status().lead).toBe(2);
    expect(net.delivered.some((m) => m.type === MessageType.TimeoutNow && m.to === 2)).toBe(true);
  });

  it("waits for a lagging transferee to catch up, dropping proposals meanwhile", () => {
    const net = new TestNetwork([1, 2, 3], both);
    net.campaign(1);
    net.isolate(3);
    for (let i = 0; i < 5; i++) net.propose(1, `p${i}`);
    net.node(1).transferLeadership(3);
    net.settle();
    expect(net.node(1).status()).toMatchObject({ role: Role.Leader, leadTransferee: 3 });
    expect(raftErrorCode(() => net.node(1).propose(bytes("during")))).toBe("proposal-dropped");
    net.recover();
    net.tick(2);
    expect(net.leaderId()).toBe(3);
    expect(net.commands(3)).toEqual(["p0", "p1", "p2", "p3", "p4"]);
  });

  it("aborts a transfer that does not finish within an election timeout", () => {
    const net = new TestNetwork([1, 2, 3], { preVote: true, checkQuorum: false });
    net.campaign(1);
    net.isolate(3);
    net.node(1).transferLeadership(3);
    net.settle();
    net.tick(9, [1]);
    expect(net.node(1).status().leadTransferee).toBe(3);
    net.tick(1, [1]);
    expect(net.node(1).status()).toMatchObject({ role: Role.Leader, leadTransferee: 0 });
    expect(raftErrorCode(() => net.node(1).propose(bytes("after")))).toBeUndefined();
  });

  it("a follower forwards a transfer request to the leader", () => {
    const net = new TestNetwork([1, 2, 3], both);
    net.campaign(1);
    net.node(3).transferLeadership(3);
    net.settle();
    expect(net.leaderId()).toBe(3);
  });

  it("ignores a transfer to itself or to a learner", () => {
    const net = new TestNetwork([1, 2, 3], both);
    net.campaign(1);
    net.node(1).proposeConfChange({
      transition: "auto",
      changes: [{ type: ConfChangeType.AddLearner, nodeId: 4 }],
      context: new Uint8Array(),
    });
    net.add(4);
    net.settle();
    net.node(1).transferLeadership(1);
    net.node(1).transferLeadership(4);
    net.settle();
    expect(net.node(1).status()).toMatchObject({ role: Role.Leader, leadTransferee: 0 });
  });

  it("aborts when the transferee is removed", () => {
    const net = new TestNetwork([1, 2, 3], both);
    net.campaign(1);
    net.isolate(3);
    net.node(1).transferLeadership(3);
    net.settle();
    net.node(1).raft.abortLeaderTransfer(); // let the removal through, then restart the transfer
    net.node(1).proposeConfChange({
      transition: "auto",
      changes: [{ type: ConfChangeType.RemoveNode, nodeId: 3 }],
      context: new Uint8Array(),
    });
    net.node(1).raft.leadTransferee = 3;
    net.settle();
    expect(net.node(1).status().leadTransferee).toBe(0);
  });
});
