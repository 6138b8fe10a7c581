/** The membership configuration and the leader's progress for every member, plus election votes. */
import { assert } from "../errors.ts";
import type { ConfState, NodeId } from "../types.ts";
import { Progress } from "./progress.ts";
import { jointCommitted, jointVote, VoteResult } from "./quorum.ts";

export interface TrackerConfig {
  /** Invariant: every member in incoming, outgoing, learners or learnersNext has a Progress. */
  readonly incoming: Set<NodeId>;
  /** The old voters while joint; empty otherwise. */
  readonly outgoing: Set<NodeId>;
  /** Invariant: learners are disjoint from incoming and outgoing. */
  readonly learners: Set<NodeId>;
  /** Invariant: learnersNext is a subset of outgoing and disjoint from learners. */
  readonly learnersNext: Set<NodeId>;
  autoLeave: boolean;
}

export function emptyTrackerConfig(): TrackerConfig {
  return {
    incoming: new Set(),
    outgoing: new Set(),
    learners: new Set(),
    learnersNext: new Set(),
    autoLeave: false,
  };
}

export function cloneTrackerConfig(c: TrackerConfig): TrackerConfig {
  return {
    incoming: new Set(c.incoming),
    outgoing: new Set(c.outgoing),
    learners: new Set(c.learners),
    learnersNext: new Set(c.learnersNext),
    autoLeave: c.autoLeave,
  };
}

const sorted = (ids: Iterable<NodeId>): NodeId[] => [...ids].sort((a, b) => a - b);

export function confStateOf(c: TrackerConfig): ConfState {
  return {
    voters: sorted(c.incoming),
    learners: sorted(c.learners),
    votersOutgoing: sorted(c.outgoing),
    learnersNext: sorted(c.learnersNext),
    autoLeave: c.autoLeave,
  };
}

export class ProgressTracker {
  config: TrackerConfig = emptyTrackerConfig();
  progress = new Map<NodeId, Progress>();
  votes = new Map<NodeId, boolean>();

  constructor(readonly maxInflightMsgs: number) {}

  confState(): ConfState {
    return confStateOf(this.config);
  }

  isJoint(): boolean {
    return this.config.outgoing.size > 0;
  }

  isSingleton(): boolean {
    return this.config.incoming.size === 1 && this.config.outgoing.size === 0;
  }

  isVoter(id: NodeId): boolean {
    return this.config.incoming.has(id) || this.config.outgoing.has(id);
  }

  voterIds(): NodeId[] {
    return sorted(new Set([...this.config.incoming, ...this.config.outgoing]));
  }

  /** Visits every member's progress in id order (so runs are reproducible). */
  visit(f: (id: NodeId, pr: Progress) => void): void {
    for (const id of sorted(this.progress.keys())) f(id, this.progress.get(id)!);
  }

  /** The highest index a (joint) quorum of voters has in its log. */
  committed(): number {
    return jointCommitted(
      [this.config.incoming, this.config.outgoing],
      (id) => this.progress.get(id)?.match ?? 0,
    );
  }

  /** Whether a quorum of voters has been active since the last check. */
  quorumActive(): boolean {
    const active = new Map<NodeId, boolean>();
    this.visit((id, pr) => {
      if (!pr.isLearner) active.set(id, pr.recentActive);
    });
    return jointVote([this.config.incoming, this.config.outgoing], active) === VoteResult.Won;
  }

  resetVotes(): void {
    this.votes = new Map();
  }

  recordVote(id: NodeId, granted: boolean): void {
    if (!this.votes.has(id)) this.votes.set(id, granted);
  }

  tallyVotes(): { granted: number; rejected: number; result: VoteResult } {
    let granted = 0;
    let rejected = 0;
    this.visit((id, pr) => {
      if (pr.isLearner) return;
      const v = this.votes.get(id);
      if (v === true) granted++;
      else if (v === false) rejected++;
    });
    return { granted, rejected, result: this.voteResult(this.votes) };
  }

  voteResult(votes: ReadonlyMap<NodeId, boolean>): VoteResult {
    return jointVote([this.config.incoming, this.config.outgoing], votes);
  }

  newProgress(next: number, isLearner: boolean): Progress {
    return new Progress(next, this.maxInflightMsgs, isLearner);
  }
}

/** Checks the invariants of a configuration against its progress map. */
export function checkTrackerConfig(c: TrackerConfig, progress: ReadonlyMap<NodeId, Progress>): void {
  for (const set of [c.incoming, c.outgoing, c.learners, c.learnersNext]) {
    for (const id of set) assert(progress.has(id), `member ${id} has no progress`);
  }
  for (const id of c.learnersNext) {
    assert(c.outgoing.has(id), `learnerNext ${id} is not an outgoing voter`);
    assert(!progress.get(id)!.isLearner, `learnerNext ${id} is already marked learner`);
  }
  for (const id of c.learners) {
    assert(!c.outgoing.has(id) && !c.incoming.has(id), `learner ${id} is also a voter`);
    assert(progress.get(id)!.isLearner, `learner ${id} is not marked learner`);
  }
  if (c.outgoing.size === 0) {
    assert(c.learnersNext.size === 0, "learnersNext outside a joint configuration");
    assert(!c.autoLeave, "autoLeave outside a joint configuration");
  }
}
