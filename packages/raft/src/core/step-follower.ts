/** How followers and (pre-)candidates handle messages, and how any node accepts a leader's log. */
import { message } from "../codec.ts";
import { RaftError } from "../errors.ts";
import { type Message, MessageType, NO_NODE, Role, type Snapshot } from "../types.ts";
import { ConfChanger } from "./conf-change.ts";
import { campaign, hup, poll } from "./election.ts";
import { VoteResult } from "./quorum.ts";
import type { Raft } from "./raft.ts";
import { assertConfStatesEquivalent, switchToConfig } from "./raft-conf.ts";

/** Refuses a proposal or read: to the local caller with an error, to a peer by dropping it. */
export function dropRequest(r: Raft, m: Message, reason: string): void {
  if (m.from === NO_NODE || m.from === r.id) throw new RaftError("proposal-dropped", reason);
  r.logger.debug("dropping a forwarded request", {
    id: r.id,
    from: m.from,
    type: MessageType[m.type],
    reason,
  });
}

export function stepFollower(r: Raft, m: Message): void {
  switch (m.type) {
    case MessageType.Prop:
      if (r.lead === NO_NODE) {
        dropRequest(r, m, `no leader at term ${r.term}`);
        return;
      }
      if (r.cfg.disableProposalForwarding) {
        dropRequest(r, m, "proposal forwarding is disabled");
        return;
      }
      r.send({ ...m, to: r.lead, term: 0 });
      return;
    case MessageType.App:
      r.electionElapsed = 0;
      r.lead = m.from;
      handleAppendEntries(r, m);
      return;
    case MessageType.Heartbeat:
      r.electionElapsed = 0;
      r.lead = m.from;
      handleHeartbeat(r, m);
      return;
    case MessageType.Snap:
      r.electionElapsed = 0;
      r.lead = m.from;
      handleSnapshot(r, m);
      return;
    case MessageType.TransferLeader:
      if (r.lead === NO_NODE) {
        dropRequest(r, m, `no leader at term ${r.term} to transfer from`);
        return;
      }
      r.send({ ...m, to: r.lead, term: 0 });
      return;
    case MessageType.TimeoutNow:
      // The leader chose us: campaign at once, without pre-vote and past any leader lease.
      r.logger.info("received TimeoutNow: campaigning", { id: r.id, term: r.term });
      hup(r, "transfer");
      return;
    case MessageType.ReadIndex:
      if (r.lead === NO_NODE) {
        dropRequest(r, m, `no leader at term ${r.term} to read from`);
        return;
      }
      r.send({ ...m, to: r.lead, term: 0 });
      return;
    case MessageType.ReadIndexResp:
      r.readStates.push({ index: m.index, requestCtx: m.context });
      return;
    default:
      return;
  }
}

export function stepCandidate(r: Raft, m: Message): void {
  const myVoteResp = r.role === Role.PreCandidate ? MessageType.PreVoteResp : MessageType.VoteResp;
  switch (m.type) {
    case MessageType.Prop: {
      dropRequest(r, m, `no leader at term ${r.term}`);
      return;
    }
    case MessageType.ReadIndex: {
      dropRequest(r, m, `no leader at term ${r.term} to read from`);
      return;
    }
    case MessageType.App:
      r.becomeFollower(m.term, m.from); // always m.term === r.term here
      handleAppendEntries(r, m);
      return;
    case MessageType.Heartbeat:
      r.becomeFollower(m.term, m.from);
      handleHeartbeat(r, m);
      return;
    case MessageType.Snap:
      r.becomeFollower(m.term, m.from);
      handleSnapshot(r, m);
      return;
    case myVoteResp: {
      const result = poll(r, m.from, m.type, !m.reject);
      if (result === VoteResult.Won) {
        if (r.role === Role.PreCandidate) {
          campaign(r, "election");
        } else {
          r.becomeLeader();
          r.bcastAppend();
        }
      } else if (result === VoteResult.Lost) {
        // A pre-vote lost at term+1, or a vote lost: back to follower in our current term.
        r.becomeFollower(r.term, NO_NODE);
      }
      return;
    }
    default:
      return;
  }
}

export function handleAppendEntries(r: Raft, m: Message): void {
  if (m.index < r.log.committed) {
    r.send(message({ type: MessageType.AppResp, to: m.from, index: r.log.committed }));
    return;
  }
  const lastNew = r.log.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
  if (lastNew !== undefined) {
    r.send(message({ type: MessageType.AppResp, to: m.from, index: lastNew }));
    return;
  }
  // Fast backtracking: tell the leader the last index whose term is <= the term it asked about,
  // so it can skip whole terms of our log that cannot match.
  const hint = Math.min(m.index, r.log.lastIndex());
  const [hintIndex, hintTerm] = r.log.findConflictByTerm(hint, m.logTerm);
  r.send(
    message({
      type: MessageType.AppResp,
      to: m.from,
      index: m.index,
      reject: true,
      rejectHint: hintIndex,
      logTerm: hintTerm,
    }),
  );
}

export function handleHeartbeat(r: Raft, m: Message): void {
  r.log.commitTo(m.commit);
  r.send(message({ type: MessageType.HeartbeatResp, to: m.from, context: m.context }));
}

export function handleSnapshot(r: Raft, m: Message): void {
  const snap = m.snapshot;
  if (snap && restore(r, snap)) {
    r.logger.info("restored snapshot", { id: r.id, index: snap.metadata.index, term: snap.metadata.term });
    r.send(message({ type: MessageType.AppResp, to: m.from, index: r.log.lastIndex() }));
  } else {
    r.send(message({ type: MessageType.AppResp, to: m.from, index: r.log.committed }));
  }
}

/** Installs a leader's snapshot; false when it is stale, already covered by our log, or excludes us. */
export function restore(r: Raft, s: Snapshot): boolean {
  const { index, term, confState: cs } = s.metadata;
  if (index <= r.log.committed) return false;
  if (r.role !== Role.Follower) {
    // Only a follower of the snapshot's leader may restore; anything else is a bug elsewhere.
    r.logger.warn("non-follower asked to restore a snapshot", { id: r.id, role: Role[r.role] });
    r.becomeFollower(r.term + 1, NO_NODE);
    return false;
  }
  const member = [...cs.voters, ...cs.learners, ...cs.votersOutgoing].includes(r.id);
  if (!member) {
    r.logger.warn("snapshot's configuration does not include this node: ignoring it", { id: r.id, index });
    return false;
  }
  if (r.log.matchTerm(index, term)) {
    // We already have the snapshot's last entry: just commit up to it.
    r.log.commitTo(index);
    return false;
  }
  r.log.restore(s);
  r.trk.progress = new Map();
  r.trk.config = {
    ...r.trk.config,
    incoming: new Set(),
    outgoing: new Set(),
    learners: new Set(),
    learnersNext: new Set(),
    autoLeave: false,
  };
  const [cfg, prs] = new ConfChanger(r.trk, r.log.lastIndex()).restore(cs);
  assertConfStatesEquivalent(cs, switchToConfig(r, cfg, prs));
  const pr = r.trk.progress.get(r.id)!;
  pr.maybeUpdate(pr.next - 1);
  return true;
}
