/** Membership changes on a Raft node: apply a committed ConfChange and switch to the new configuration. */
import { assert } from "../errors.ts";
import { type ConfChange, type ConfState, NO_NODE, type NodeId, Role } from "../types.ts";
import { ConfChanger } from "./conf-change.ts";
import type { Progress } from "./progress.ts";
import type { Raft } from "./raft.ts";
import type { TrackerConfig } from "./tracker.ts";

export function applyConfChange(r: Raft, cc: ConfChange): ConfState {
  const [cfg, prs] = new ConfChanger(r.trk, r.log.lastIndex()).change(cc);
  return switchToConfig(r, cfg, prs);
}

/**
 * Installs a configuration. A leader that is no longer a voter steps down; otherwise it commits
 * what the new quorum allows and starts replicating to new members.
 */
export function switchToConfig(r: Raft, cfg: TrackerConfig, prs: Map<NodeId, Progress>): ConfState {
  r.trk.config = cfg;
  r.trk.progress = prs;
  const cs = r.trk.confState();
  const pr = prs.get(r.id);
  if ((!pr || pr.isLearner) && r.role === Role.Leader) {
    r.logger.info("removed from the configuration: stepping down", { id: r.id, term: r.term });
    r.becomeFollower(r.term, NO_NODE);
    return cs;
  }
  if (r.role !== Role.Leader || cs.voters.length === 0) return cs;
  if (r.maybeCommit()) {
    r.bcastAppend();
  } else {
    r.trk.visit((id) => {
      if (id !== r.id) r.maybeSendAppend(id, false);
    });
  }
  // The transfer target was removed or demoted: the transfer cannot finish.
  if (r.leadTransferee !== NO_NODE && !r.trk.isVoter(r.leadTransferee)) r.abortLeaderTransfer();
  return cs;
}

export function sameConfState(a: ConfState, b: ConfState): boolean {
  const eq = (x: readonly NodeId[], y: readonly NodeId[]) => {
    const xs = [...x].sort((p, q) => p - q);
    const ys = [...y].sort((p, q) => p - q);
    return xs.length === ys.length && xs.every((v, i) => v === ys[i]);
  };
  return (
    eq(a.voters, b.voters) &&
    eq(a.learners, b.learners) &&
    eq(a.votersOutgoing, b.votersOutgoing) &&
    eq(a.learnersNext, b.learnersNext) &&
    a.autoLeave === b.autoLeave
  );
}

export function assertConfStatesEquivalent(a: ConfState, b: ConfState): void {
  assert(sameConfState(a, b), `conf states differ: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
}
