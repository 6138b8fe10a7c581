/** Majority and joint-majority decisions: commit indexes and election outcomes. */
import type { NodeId } from "../types.ts";

export enum VoteResult {
  Pending = 0,
  Lost = 1,
  Won = 2,
}

/** The highest index acknowledged by a majority of `ids` (Infinity for an empty set). */
export function majorityCommitted(ids: ReadonlySet<NodeId>, acked: (id: NodeId) => number): number {
  if (ids.size === 0) return Number.POSITIVE_INFINITY;
  const matched = [...ids].map(acked).sort((a, b) => a - b);
  const quorum = Math.floor(matched.length / 2) + 1;
  return matched[matched.length - quorum]!;
}

export function majorityVote(ids: ReadonlySet<NodeId>, votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  if (ids.size === 0) return VoteResult.Won;
  let yes = 0;
  let missing = 0;
  for (const id of ids) {
    const v = votes.get(id);
    if (v === undefined) missing++;
    else if (v) yes++;
  }
  const quorum = Math.floor(ids.size / 2) + 1;
  if (yes >= quorum) return VoteResult.Won;
  if (yes + missing >= quorum) return VoteResult.Pending;
  return VoteResult.Lost;
}

/** Voters of a possibly joint configuration: [incoming, outgoing]; outgoing is empty unless joint. */
export type JointVoters = readonly [ReadonlySet<NodeId>, ReadonlySet<NodeId>];

export function jointCommitted(voters: JointVoters, acked: (id: NodeId) => number): number {
  return Math.min(majorityCommitted(voters[0], acked), majorityCommitted(voters[1], acked));
}

export function jointVote(voters: JointVoters, votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  const r1 = majorityVote(voters[0], votes);
  const r2 = majorityVote(voters[1], votes);
  if (r1 === r2) return r1;
  if (r1 === VoteResult.Lost || r2 === VoteResult.Lost) return VoteResult.Lost;
  return VoteResult.Pending;
}
