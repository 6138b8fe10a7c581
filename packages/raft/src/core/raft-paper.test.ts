/**
 * The guarantees of the Raft paper (Ongaro & Ousterhout, "In Search of an Understandable
 * Consensus Algorithm", extended version), each test naming the section it checks.
 */
import { describe, expect, it } from "vitest";
import { message } from "../codec.ts";
import type { Config } from "../config.ts";
import { type Message, MessageType, Role } from "../types.ts";
import { MemoryStorage } from "./memory-storage.ts";
import { RawNode } from "./raw-node.ts";
import { bytes, seededRng, TestNetwork, testConfig } from "./test-network.ts";
import { logOf, SafetyRecorder } from "./test-safety-checks.ts";

const plain: Partial<Config> = { preVote: false, checkQuorum: false };

/** A lone node of a 3-member cluster, stepped by hand; returns the messages of its next Ready. */
function loneNode(overrides: Partial<Config> = plain): { node: RawNode; out: () => Message[] } {
  const storage = new MemoryStorage();
  const node = new RawNode(testConfig(1, storage, overrides), [1, 2, 3]);
  const out = (): Message[] => {
    const msgs: Message[] = [];
    while (node.hasReady()) {
      const rd = node.ready();
      storage.append(rd.entries);
      if (rd.hardState) storage.setHardState(rd.hardState);
      msgs.push(...rd.messages);
      node.advance(rd);
    }
    return msgs;
  };
  out();
  return { node, out };
}

describe("§5.1 terms", () => {
  it("a node seeing a higher term adopts it and becomes follower", () => {
    const net = new TestNetwork([1, 2, 3], plain);
    net.campaign(1);
    const term = net.node(1).status().term;
    net
      .node(1)
      .step(message({ type: MessageType.App, from: 2, to: 1, term: term + 5, index: 0, logTerm: 0 }));
    expect(net.node(1).status()).toMatchObject({ term: term + 5, role: Role.Follower, lead: 2 });
  });

  it("a request with a stale term is rejected and its sender learns the newer term", () => {
    const { node, out } = loneNode({ preVote: true, checkQuorum: true });
    node.step(message({ type: MessageType.Heartbeat, from: 2, to: 1, term: 9 }));
    out();
    node.step(message({ type: MessageType.App, from: 3, to: 1, term: 4, index: 3, logTerm: 1 }));
    const [resp] = out();
    expect(resp).toMatchObject({ type: MessageType.AppResp, to: 3, term: 9 });
    expect(node.status()).toMatchObject({ term: 9, lead: 2 });
  });
});

describe("§5.2 leader election", () => {
  it("a follower times out after a randomised election timeout in [electionTick, 2*electionTick)", () => {
    const seen = new Set<number>();
    for (let seed = 1; seed <= 30; seed++) {
      const { node } = loneNode({ ...plain, rng: seededRng(seed) });
      let ticks = 0;
      while (node.status().role === Role.Follower && ticks < 100) {
        node.tick();
        ticks++;
      }
      expect(ticks).toBeGreaterThanOrEqual(10);
      expect(ticks).toBeLessThan(20);
      seen.add(ticks);
    }
    expect(seen.size).toBeGreaterThan(3);
  });

  it("a candidate that gets votes from a majority becomes leader and asserts itself", () => {
    const net = new TestNetwork([1, 2, 3, 4, 5], plain);
    net.isolate(4);
    net.isolate(5);
    net.campaign(1);
    expect(net.node(1).status().role).toBe(Role.Leader);
    for (const id of [2, 3]) expect(net.node(id).status().lead).toBe(1);
  });

  it("a candidate without a majority does not become leader", () => {
    const net = new TestNetwork([1, 2, 3, 4, 5], plain);
    net.isolate(3);
    net.isolate(4);
    net.isolate(5);
    net.campaign(1);
    expect(net.node(1).status().role).toBe(Role.Candidate);
  });

  it("each node votes for at most one candidate per term (election safety)", () => {
    const { node, out } = loneNode();
    node.step(message({ type: MessageType.Vote, from: 2, to: 1, term: 5, index: 3, logTerm: 1 }));
    node.step(message({ type: MessageType.Vote, from: 3, to: 1, term: 5, index: 3, logTerm: 1 }));
    const resps = out().filter((m) => m.type === MessageType.VoteResp);
    expect(resps.map((m) => [m.to, m.reject])).toEqual([
      [2, false],
      [3, true],
    ]);
    expect(node.status().vote).toBe(2);
  });

  it("a candidate steps down when it hears from a leader of its term", () => {
    const net = new TestNetwork([1, 2, 3], plain);
    net.isolate(1);
    net.campaign(1);
    const term = net.node(1).status().term;
    net.node(1).step(message({ type: MessageType.App, from: 2, to: 1, term, index: 3, logTerm: 1 }));
    expect(net.node(1).status()).toMatchObject({ role: Role.Follower, lead: 2 });
  });
});

describe("§5.3 log replication", () => {
  it("a leader's log overwrites a follower's conflicting uncommitted entries (log matching)", () => {
    const net = new TestNetwork([1, 2, 3, 4, 5], plain);
    net.campaign(1);
    net.propose(1, "base");
    net.isolate(1);
    net.node(1).propose(bytes("lost-1"));
    net.node(1).propose(bytes("lost-2"));
    net.settle();
    net.campaign(2);
    net.propose(2, "won");
    net.recover();
    net.tick(5);
    for (const id of [1, 2, 3, 4, 5]) {
      expect(net.commands(id)).toEqual(["base", "won"]);
      expect(logOf(net.node(id)).map((e) => e.term)).toEqual(logOf(net.node(2)).map((e) => e.term));
    }
  });

  it("an entry is committed once a majority stores it, and followers learn the commit index", () => {
    const net = new TestNetwork([1, 2, 3], plain);
    net.campaign(1);
    net.isolate(3);
    net.propose(1, "a");
    // The leader commits on node 2's acknowledgement and tells it with the next append.
    expect(net.commands(1)).toEqual(["a"]);
    expect(net.commands(2)).toEqual(["a"]);
    expect(net.commands(3)).toEqual([]);
  });
});

describe("§5.4.1 election restriction", () => {
  it("a node refuses its vote to a candidate whose log is less up to date", () => {
    const { node, out } = loneNode();
    // Our log ends at (3, term 1). Candidates with (2, 1) and (3, 0) are behind; (3, 1) and (1, 2) are not.
    const cases: [number, number, boolean][] = [
      [2, 1, true],
      [3, 0, true],
      [3, 1, false],
      [1, 2, false],
    ];
    let term = 2;
    for (const [index, logTerm, reject] of cases) {
      node.step(message({ type: MessageType.Vote, from: 2, to: 1, term: term++, index, logTerm }));
      const resp = out().find((m) => m.type === MessageType.VoteResp);
      expect(resp?.reject).toBe(reject);
    }
  });
});

describe("§5.4.2 committing entries from previous terms", () => {
  it("a leader does not commit an entry of an earlier term by counting replicas (Figure 8)", () => {
    const net = new TestNetwork([1, 2, 3], plain);
    net.campaign(1);
    net.isolate(1);
    net.node(1).propose(bytes("old")); // term 2, only on node 1
    net.settle();
    const oldIndex = net.node(1).status().commit + 1;
    // Node 1 learns of a newer term, steps down, and is re-elected, but appends never get through.
    net
      .node(1)
      .step(message({ type: MessageType.AppResp, from: 2, to: 1, term: net.node(1).status().term + 1 }));
    net.recover();
    net.ignore(MessageType.App);
    net.campaign(1);
    const leader = net.node(1);
    const term = leader.status().term;
    expect(leader.status().role).toBe(Role.Leader);
    expect(term).toBeGreaterThan(logOf(leader).find((e) => e.index === oldIndex)!.term);
    // Node 2 acknowledges the earlier-term entry only: it is on a majority but not of the current term.
    leader.step(message({ type: MessageType.AppResp, from: 2, to: 1, term, index: oldIndex }));
    expect(leader.status().commit).toBeLessThan(oldIndex);
    // Once node 2 has the leader's own entry (term 3), both commit.
    leader.step(message({ type: MessageType.AppResp, from: 2, to: 1, term, index: oldIndex + 1 }));
    expect(leader.status().commit).toBe(oldIndex + 1);
  });
});

describe("§5.2-§5.4.3 safety under faults (randomised runs)", () => {
  for (const [name, tuning, chaos] of [
    ["plain", plain, false],
    ["pre-vote + check-quorum", { preVote: true, checkQuorum: true }, false],
    [
      "pre-vote + check-quorum, reordered and duplicated messages",
      { preVote: true, checkQuorum: true },
      true,
    ],
  ] as const) {
    it(`election safety, leader append-only, log matching, leader completeness, state machine safety (${name})`, () => {
      for (let seed = 1; seed <= 6; seed++) {
        const rng = seededRng(seed * 101);
        const net = new TestNetwork([1, 2, 3, 4, 5], (id) => ({
          ...tuning,
          rng: seededRng(seed * 1000 + id),
        }));
        net.setDropRate(0.1, seed);
        net.setChaos(chaos, chaos ? 0.05 : 0);
        const rec = new SafetyRecorder(net);
        let n = 0;
        for (let t = 0; t < 300; t++) {
          if (t % 40 === 0) {
            net.recover();
            net.setDropRate(0.1, seed + t);
            net.setChaos(chaos, chaos ? 0.05 : 0);
            const victim = 1 + rng.intn(5);
            if (rng.intn(2) === 0) net.isolate(victim);
          }
          const lead = net.leaderId();
          if (lead !== undefined && t % 3 === 0) {
            try {
              net.node(lead).propose(bytes(`c${n++}`));
            } catch {
              // dropped: a transfer or a limit; fine for this run
            }
          }
          net.tick(1);
          rec.observe();
        }
        net.recover();
        net.tick(50);
        rec.observe();
        expect(rec.violations, `seed ${seed}`).toEqual([]);
        // State machine safety: every node applied the same sequence (all caught up after healing).
        const reference = net.commands(1);
        expect(reference.length, `seed ${seed}`).toBeGreaterThan(10);
        for (const id of [2, 3, 4, 5]) expect(net.commands(id), `seed ${seed}`).toEqual(reference);
      }
    });
  }
});
