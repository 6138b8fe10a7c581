/**
 * Checks of what must always hold inside one Raft node. ready() runs them on every batch; the
 * simulator calls checkInvariants() after every step.
 */
import { assert } from "../errors.ts";
import { NO_NODE, Role } from "../types.ts";
import { ProgressState } from "./progress.ts";
import type { Raft } from "./raft.ts";
import type { RawNode } from "./raw-node.ts";
import { checkTrackerConfig } from "./tracker.ts";

export function checkRaftInvariants(r: Raft): void {
  const log = r.log;
  const last = log.lastIndex();
  assert(log.applied <= log.applying, `applied ${log.applied} > applying ${log.applying}`);
  assert(log.applying <= log.committed, `applying ${log.applying} > committed ${log.committed}`);
  assert(log.committed <= last, `committed ${log.committed} > last index ${last}`);
  assert(log.firstIndex() - 1 <= last, `first index ${log.firstIndex()} > last index + 1 ${last + 1}`);
  const u = log.unstable;
  for (const [i, e] of u.entries.entries()) {
    assert(e.index === u.offset + i, `unstable entry ${e.index} not at ${u.offset + i}`);
  }
  for (let i = 1; i < u.entries.length; i++) {
    assert(u.entries[i]!.term >= u.entries[i - 1]!.term, "terms in the log never decrease");
  }
  assert(log.term(last) !== undefined, "the last entry always has a known term");
  checkTrackerConfig(r.trk.config, r.trk.progress);
  if (r.role === Role.Leader) {
    assert(r.lead === r.id, "a leader leads");
    assert(r.vote === r.id, "a leader voted for itself");
    const self = r.trk.progress.get(r.id);
    assert(self !== undefined && self.match === last, "a leader's own match is its last index");
    for (const [id, pr] of r.trk.progress) {
      assert(pr.match < pr.next, `progress of ${id}: match ${pr.match} >= next ${pr.next}`);
      assert(pr.match <= last, `progress of ${id}: match ${pr.match} beyond the leader's log ${last}`);
      if (pr.state === ProgressState.Snapshot)
        assert(pr.pendingSnapshot > 0, `snapshot state without snapshot (${id})`);
    }
  } else {
    assert(r.leadTransferee === NO_NODE, "only a leader transfers leadership");
  }
  if (r.role === Role.Candidate) assert(r.vote === r.id, "a candidate voted for itself");
}

/** Checks one node's internal invariants; throws "raft invariant violated: ..." when one fails. */
export function checkInvariants(node: RawNode): void {
  checkRaftInvariants(node.raft);
}
