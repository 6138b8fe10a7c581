/** ReadIndex: safe (heartbeat round) and lease modes, forwarding, and the leader's own-term commit. */
import { describe, expect, it } from "vitest";
import { RaftError } from "../errors.ts";
import { MessageType } from "../types.ts";
import { MemoryStorage } from "./memory-storage.ts";
import { RawNode } from "./raw-node.ts";
import { bytes, TestNetwork, testConfig, text } from "./test-network.ts";

const plain = { preVote: false, checkQuorum: false };

function reads(net: TestNetwork, id: number): [string, number][] {
  return net.member(id).readStates.map((rs) => [text(rs.requestCtx), rs.index]);
}

describe("read index (safe)", () => {
  it("answers after a heartbeat round confirms leadership, with the commit index", () => {
    const net = new TestNetwork([1, 2, 3], plain);
    net.campaign(1);
    net.propose(1, "a");
    const commit = net.node(1).status().commit;
    const before = net.delivered.length;
    net.node(1).readIndex(bytes("r1"));
    net.settle();
    expect(reads(net, 1)).toEqual([["r1", commit]]);
    const beats = net.delivered.slice(before).filter((m) => m.type === MessageType.Heartbeat);
    expect(beats.every((m) => text(m.context) === "r1")).toBe(true);
    expect(beats.length).toBe(2);
  });

  it("does not answer without a quorum, and answers once it is back", () => {
    const net = new TestNetwork([1, 2, 3], plain);
    net.campaign(1);
    net.isolate(2);
    net.isolate(3);
    net.node(1).readIndex(bytes("r"));
    net.settle();
    expect(reads(net, 1)).toEqual([]);
    net.recover();
    net.tick(1);
    expect(reads(net, 1).map(([c]) => c)).toEqual(["r"]);
  });

  it("waits until the leader has committed an entry of its own term", () => {
    const net = new TestNetwork([1, 2, 3], plain);
    net.ignore(MessageType.AppResp);
    net.campaign(1);
    net.node(1).readIndex(bytes("early"));
    net.settle();
    expect(reads(net, 1)).toEqual([]);
    net.recover();
    net.tick(2);
    expect(reads(net, 1)).toEqual([["early", net.node(1).status().commit]]);
  });

  it("a follower forwards the request and gets the leader's index back", () => {
    const net = new TestNetwork([1, 2, 3], plain);
    net.campaign(1);
    net.propose(1, "a");
    net.node(3).readIndex(bytes("from-3"));
    net.settle();
    expect(reads(net, 3)).toEqual([["from-3", net.node(1).status().commit]]);
    expect(reads(net, 1)).toEqual([]);
  });

  it("refuses a read when there is no leader", () => {
    const net = new TestNetwork([1, 2, 3], plain);
    expect(() => net.node(2).readIndex(bytes("x"))).toThrow(RaftError);
  });

  it("a single-node cluster answers at once", () => {
    const net = new TestNetwork([1], plain);
    net.campaign(1);
    net.node(1).readIndex(bytes("solo"));
    net.settle();
    expect(reads(net, 1)).toEqual([["solo", net.node(1).status().commit]]);
  });
});

describe("read index (lease)", () => {
  it("answers from the leader's lease without a heartbeat round", () => {
    const net = new TestNetwork([1, 2, 3], { preVote: true, checkQuorum: true, readOnlyOption: "lease" });
    net.campaign(1);
    net.isolate(2);
    net.isolate(3); // a lease read needs no round trip
    net.node(1).readIndex(bytes("leased"));
    net.settle();
    expect(reads(net, 1)).toEqual([["leased", net.node(1).status().commit]]);
  });

  it("is refused at configuration time without check-quorum", () => {
    expect(
      () =>
        new RawNode(testConfig(1, new MemoryStorage(), { readOnlyOption: "lease", checkQuorum: false }), [1]),
    ).toThrow(/requires checkQuorum/);
  });
});
