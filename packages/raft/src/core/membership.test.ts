/** Membership: one-at-a-time changes, learners, joint consensus, pending changes, removal. */
import { describe, expect, it } from "vitest";
import { type ConfChange, ConfChangeType, type NodeId, Role } from "../types.ts";
import { raftErrorCode, TestNetwork } from "./test-network.ts";

const plain = { preVote: false, checkQuorum: false };
const { AddNode, RemoveNode, AddLearner } = ConfChangeType;

function cc(changes: [ConfChangeType, NodeId][], transition: ConfChange["transition"] = "auto"): ConfChange {
  return {
    transition,
    changes: changes.map(([type, nodeId]) => ({ type, nodeId })),
    context: new Uint8Array(),
  };
}

function started(ids: NodeId[] = [1, 2, 3]): TestNetwork {
  const net = new TestNetwork(ids, plain);
  net.campaign(1);
  return net;
}

describe("one voter at a time", () => {
  it("adds a voter that catches up from the log and then counts in the quorum", () => {
    const net = started();
    net.propose(1, "before");
    net.node(1).proposeConfChange(cc([[AddNode, 4]]));
    net.add(4);
    net.settle();
    net.tick(2);
    for (const id of [1, 2, 3, 4]) expect(net.node(id).status().confState.voters).toEqual([1, 2, 3, 4]);
    expect(net.commands(4)).toEqual(["before"]);
    // With 4 voters a quorum is 3: nodes 1 and 4 alone cannot commit.
    net.isolate(2);
    net.isolate(3);
    const commit = net.node(1).status().commit;
    net.propose(1, "needs-three");
    expect(net.node(1).status().commit).toBe(commit);
  });

  it("removes a voter; the removed node never campaigns", () => {
    const net = started();
    net.node(1).proposeConfChange(cc([[RemoveNode, 3]]));
    net.settle();
    net.tick(2);
    expect(net.node(1).status().confState.voters).toEqual([1, 2]);
    const term = net.node(3).status().term;
    net.isolate(3);
    net.tick(100, [3]);
    net.campaign(3);
    expect(net.node(3).status()).toMatchObject({ term, role: Role.Follower });
  });

  it("a removed leader steps down and stops accepting proposals; the rest elect a new one", () => {
    const net = started();
    net.node(1).proposeConfChange(cc([[RemoveNode, 1]]));
    net.settle();
    expect(net.node(1).status().role).toBe(Role.Follower);
    net.tick(50, [2, 3]);
    const lead = net.leaderId();
    expect(lead === 2 || lead === 3).toBe(true);
    net.propose(lead!, "after");
    expect(net.commands(lead === 2 ? 3 : 2)).toEqual(["after"]);
  });

  it("allows only one pending conf change at a time", () => {
    const net = started();
    net.isolate(2);
    net.isolate(3);
    net.node(1).proposeConfChange(cc([[AddNode, 4]]));
    expect(raftErrorCode(() => net.node(1).proposeConfChange(cc([[AddNode, 5]])))).toBe(
      "conf-change-pending",
    );
    net.recover();
    net.tick(2);
    expect(raftErrorCode(() => net.node(1).proposeConfChange(cc([[AddNode, 5]])))).toBeUndefined();
  });

  it("refuses a change that cannot apply (removing every voter)", () => {
    const net = started([1]);
    expect(raftErrorCode(() => net.node(1).proposeConfChange(cc([[RemoveNode, 1]])))).toBe(
      "conf-change-invalid",
    );
  });
});

describe("learners", () => {
  it("a learner receives entries but neither votes nor counts towards commit; promotion makes it a voter", () => {
    const net = started();
    net.node(1).proposeConfChange(cc([[AddLearner, 4]]));
    net.add(4);
    net.settle();
    net.propose(1, "a");
    net.tick(2);
    expect(net.node(1).status().confState).toMatchObject({ voters: [1, 2, 3], learners: [4] });
    expect(net.commands(4)).toEqual(["a"]);
    // Nodes 1 and 4 alone are no quorum of {1,2,3}.
    net.isolate(2);
    net.isolate(3);
    const commit = net.node(1).status().commit;
    net.propose(1, "b");
    expect(net.node(1).status().commit).toBe(commit);
    net.recover();
    net.tick(2);
    // Promote the learner once it has caught up.
    expect(net.node(1).status().progress?.get(4)?.match).toBe(net.node(1).raft.log.lastIndex());
    net.node(1).proposeConfChange(cc([[AddNode, 4]]));
    net.settle();
    net.tick(2);
    expect(net.node(4).status().confState).toMatchObject({ voters: [1, 2, 3, 4], learners: [] });
    net.isolate(1);
    net.tick(40, [2, 3, 4]);
    expect(net.leaderId()).not.toBe(1);
  });

  it("a learner ignores a campaign request", () => {
    const net = started();
    net.node(1).proposeConfChange(cc([[AddLearner, 4]]));
    net.add(4);
    net.settle();
    net.tick(2);
    expect(net.node(4).status().confState.learners).toEqual([4]);
    net.campaign(4);
    expect(net.node(4).status().role).toBe(Role.Follower);
  });
});

describe("joint consensus", () => {
  it("enters a joint configuration for several changes and leaves it automatically", () => {
    const net = started();
    net.add(4);
    net.node(1).proposeConfChange(
      cc([
        [AddNode, 4],
        [RemoveNode, 3],
      ]),
    );
    net.settle();
    net.tick(3);
    for (const id of [1, 2, 4]) {
      expect(net.node(id).status().confState).toMatchObject({
        voters: [1, 2, 4],
        votersOutgoing: [],
        autoLeave: false,
      });
    }
    // The joint state was really entered on the way (recorded by every member that applied it).
    const seen = net.member(2).applied.filter((e) => e.type === 1).length;
    expect(seen).toBe(3 + 2); // three bootstrap entries, enter joint, leave joint
  });

  it("an explicit joint configuration needs both majorities until it is left by an empty change", () => {
    const net = started();
    net.add(4);
    net.add(5);
    net.node(1).proposeConfChange(
      cc(
        [
          [AddNode, 4],
          [AddNode, 5],
          [RemoveNode, 2],
          [RemoveNode, 3],
        ],
        "explicit",
      ),
    );
    net.settle();
    net.tick(2);
    expect(net.node(1).status().confState).toMatchObject({
      voters: [1, 4, 5],
      votersOutgoing: [1, 2, 3],
      autoLeave: false,
    });
    // Any other change is refused while joint.
    expect(raftErrorCode(() => net.node(1).proposeConfChange(cc([[AddNode, 6]])))).toBe(
      "conf-change-invalid",
    );
    // The old majority alone cannot commit...
    net.isolate(4);
    net.isolate(5);
    const commit = net.node(1).status().commit;
    net.propose(1, "x");
    expect(net.node(1).status().commit).toBe(commit);
    // ...nor can the new one alone.
    net.recover();
    net.isolate(2);
    net.isolate(3);
    net.tick(1); // x reaches the new majority: now both have it
    expect(net.node(1).status().commit).toBe(commit + 1);
    net.propose(1, "y");
    expect(net.node(1).status().commit).toBe(commit + 1);
    net.recover();
    net.tick(2);
    expect(net.commands(1)).toEqual(["x", "y"]);
    net.node(1).proposeConfChange(cc([]));
    net.settle();
    net.tick(2);
    for (const id of [1, 4, 5])
      expect(net.node(id).status().confState).toMatchObject({ voters: [1, 4, 5], votersOutgoing: [] });
  });

  it("a voter demoted to learner in a joint change becomes a learner when the configuration is left", () => {
    const net = started();
    net.add(4);
    net.node(1).proposeConfChange(
      cc(
        [
          [AddNode, 4],
          [AddLearner, 3],
        ],
        "explicit",
      ),
    );
    net.settle();
    net.tick(2);
    expect(net.node(1).status().confState).toMatchObject({
      voters: [1, 2, 4],
      votersOutgoing: [1, 2, 3],
      learnersNext: [3],
    });
    net.node(1).proposeConfChange(cc([]));
    net.settle();
    net.tick(2);
    expect(net.node(1).status().confState).toMatchObject({
      voters: [1, 2, 4],
      learners: [3],
      learnersNext: [],
    });
  });

  it("replaces the leader through a joint configuration; it leads until the configuration is left, then steps down", () => {
    const net = started();
    net.add(4);
    net.node(1).proposeConfChange(
      cc(
        [
          [RemoveNode, 1],
          [AddNode, 4],
        ],
        "implicit",
      ),
    );
    net.settle();
    net.tick(3);
    expect(net.node(2).status().confState).toMatchObject({ voters: [2, 3, 4], votersOutgoing: [] });
    expect(net.node(1).status().role).toBe(Role.Follower);
    net.tick(40, [2, 3, 4]);
    const lead = net.leaderId();
    expect([2, 3, 4]).toContain(lead);
    net.propose(lead!, "after");
    expect(net.commands(4)).toEqual(["after"]);
  });

  it("a node added after the log was compacted is brought up by a snapshot carrying the membership", () => {
    const net = started();
    net.propose(1, "a");
    net.node(1).proposeConfChange(cc([[AddNode, 4]]));
    net.settle();
    net.tick(1);
    for (const id of [1, 2, 3]) net.snapshotAndCompact(id);
    net.add(4);
    net.tick(3);
    expect(net.member(4).snapshotsApplied).toBe(1);
    expect(net.node(4).status().confState.voters).toEqual([1, 2, 3, 4]);
    net.propose(1, "b");
    expect(net.commands(4)).toEqual(["b"]);
  });

  it("refuses to leave a joint configuration that was not entered", () => {
    const net = started();
    expect(raftErrorCode(() => net.node(1).proposeConfChange(cc([])))).toBe("conf-change-invalid");
  });
});
