/** Progress, inflights, quorum arithmetic and conf-change computation. */
import { describe, expect, it } from "vitest";
import { RaftError } from "../errors.ts";
import { ConfChangeType } from "../types.ts";
import { ConfChanger } from "./conf-change.ts";
import { Inflights } from "./inflights.ts";
import { Progress, ProgressState } from "./progress.ts";
import { jointCommitted, jointVote, majorityCommitted, majorityVote, VoteResult } from "./quorum.ts";
import { confStateOf, ProgressTracker } from "./tracker.ts";

describe("Inflights", () => {
  it("is a bounded ring freed up to an index", () => {
    const inf = new Inflights(3);
    inf.add(5);
    inf.add(7);
    inf.add(9);
    expect(inf.full()).toBe(true);
    expect(() => inf.add(11)).toThrow();
    inf.freeLE(7);
    expect(inf.length()).toBe(1);
    inf.add(11);
    inf.add(13); // wraps around
    inf.freeFirstOne();
    expect(inf.length()).toBe(2);
    inf.freeLE(100);
    expect(inf.length()).toBe(0);
  });
});

describe("Progress", () => {
  it("probe -> replicate -> snapshot -> probe", () => {
    const pr = new Progress(5, 4, false);
    pr.updateOnEntriesSend(2, 6);
    expect(pr.isPaused()).toBe(true); // one probe at a time
    expect(pr.maybeUpdate(6)).toBe(true);
    pr.becomeReplicate();
    expect([pr.state, pr.next]).toEqual([ProgressState.Replicate, 7]);
    pr.updateOnEntriesSend(3, 9);
    expect([pr.next, pr.inflights.length()]).toEqual([10, 1]);
    pr.becomeSnapshot(20);
    expect(pr.isPaused()).toBe(true);
    pr.becomeProbe();
    expect([pr.state, pr.next]).toEqual([ProgressState.Probe, 21]);
  });

  it("maybeDecrTo ignores stale rejections and uses the hint", () => {
    const pr = new Progress(10, 4, false);
    pr.match = 2;
    expect(pr.maybeDecrTo(5, 3)).toBe(false); // not the index we probed (next-1 = 9)
    expect(pr.maybeDecrTo(9, 4)).toBe(true);
    expect(pr.next).toBe(5);
    expect(pr.maybeDecrTo(4, 0)).toBe(true);
    expect(pr.next).toBe(3); // never below match+1
  });
});

describe("quorum", () => {
  const acked = (m: Record<number, number>) => (id: number) => m[id] ?? 0;
  it("commits the highest index a majority has", () => {
    expect(majorityCommitted(new Set([1, 2, 3]), acked({ 1: 5, 2: 3, 3: 1 }))).toBe(3);
    expect(majorityCommitted(new Set([1, 2, 3, 4]), acked({ 1: 5, 2: 3, 3: 1, 4: 4 }))).toBe(3);
    expect(majorityCommitted(new Set(), acked({}))).toBe(Number.POSITIVE_INFINITY);
    expect(
      jointCommitted([new Set([1, 2, 3]), new Set([3, 4, 5])], acked({ 1: 9, 2: 9, 3: 2, 4: 1, 5: 5 })),
    ).toBe(2);
  });

  it("decides votes by majority, and joint votes by both", () => {
    const v = (m: Record<number, boolean>) => new Map(Object.entries(m).map(([k, b]) => [Number(k), b]));
    expect(majorityVote(new Set([1, 2, 3]), v({ 1: true, 2: true }))).toBe(VoteResult.Won);
    expect(majorityVote(new Set([1, 2, 3]), v({ 1: true, 2: false }))).toBe(VoteResult.Pending);
    expect(majorityVote(new Set([1, 2, 3]), v({ 1: false, 2: false }))).toBe(VoteResult.Lost);
    const joint = [new Set([1, 2, 3]), new Set([3, 4, 5])] as const;
    expect(jointVote(joint, v({ 1: true, 2: true }))).toBe(VoteResult.Pending);
    expect(jointVote(joint, v({ 1: true, 2: true, 4: false, 5: false }))).toBe(VoteResult.Lost);
    expect(jointVote(joint, v({ 1: true, 3: true, 4: true }))).toBe(VoteResult.Won);
  });
});

describe("ConfChanger", () => {
  const { AddNode, RemoveNode, AddLearner } = ConfChangeType;
  const single = (type: ConfChangeType, nodeId: number) => ({ type, nodeId });

  it("restores every kind of ConfState exactly", () => {
    const states = [
      { voters: [1, 2, 3], learners: [4], votersOutgoing: [], learnersNext: [], autoLeave: false },
      { voters: [1, 2, 4], learners: [5], votersOutgoing: [1, 2, 3], learnersNext: [3], autoLeave: true },
      { voters: [4, 5, 6], learners: [], votersOutgoing: [1, 2, 3], learnersNext: [], autoLeave: false },
    ];
    for (const cs of states) {
      const [cfg] = new ConfChanger(new ProgressTracker(8), 10).restore(cs);
      expect(confStateOf(cfg)).toEqual(cs);
    }
  });

  it("refuses two voter changes without joint consensus, and zero voters", () => {
    const trk = new ProgressTracker(8);
    [trk.config, trk.progress] = new ConfChanger(trk, 1).simple([single(AddNode, 1)]);
    const changer = new ConfChanger(trk, 1);
    expect(() => changer.simple([single(AddNode, 2), single(AddNode, 3)])).toThrow(RaftError);
    expect(() => changer.simple([single(RemoveNode, 1)])).toThrow(/removed all voters/);
    const [cfg] = changer.simple([single(AddLearner, 2), single(AddNode, 3)]);
    expect(confStateOf(cfg)).toMatchObject({ voters: [1, 3], learners: [2] });
  });

  it("does not change the live tracker when computing a change", () => {
    const trk = new ProgressTracker(8);
    [trk.config, trk.progress] = new ConfChanger(trk, 1).restore({
      voters: [1, 2],
      learners: [],
      votersOutgoing: [],
      learnersNext: [],
      autoLeave: false,
    });
    new ConfChanger(trk, 1).simple([single(AddLearner, 2)]);
    expect(trk.progress.get(2)?.isLearner).toBe(false);
    expect(confStateOf(trk.config).voters).toEqual([1, 2]);
  });
});
