/** How a leader handles messages: proposals, acknowledgements, reads, transfers and reports. */
import { decodeConfChange, message } from "../codec.ts";
import { RaftError } from "../errors.ts";
import { type Entry, EntryType, type Message, MessageType, NO_NODE, type NodeId } from "../types.ts";
import { ConfChanger, isLeaveJoint } from "./conf-change.ts";
import { type Progress, ProgressState } from "./progress.ts";
import { VoteResult } from "./quorum.ts";
import type { Raft } from "./raft.ts";
import { dropRequest } from "./step-follower.ts";

const EMPTY = new Uint8Array(0);

export function stepLeader(r: Raft, m: Message): void {
  switch (m.type) {
    case MessageType.Beat:
      r.bcastHeartbeat();
      return;
    case MessageType.CheckQuorum:
      if (!r.trk.quorumActive()) {
        r.logger.warn("no quorum active within an election timeout: stepping down", {
          id: r.id,
          term: r.term,
        });
        r.becomeFollower(r.term, NO_NODE);
      }
      // Everyone but us must prove to be alive again before the next check.
      r.trk.visit((id, pr) => {
        if (id !== r.id) pr.recentActive = false;
      });
      return;
    case MessageType.Prop:
      handlePropose(r, m);
      return;
    case MessageType.ReadIndex:
      handleReadIndex(r, m);
      return;
    default:
      break;
  }
  const pr = r.trk.progress.get(m.from);
  if (!pr) {
    r.logger.debug("no progress for sender: ignoring", { id: r.id, from: m.from, type: MessageType[m.type] });
    return;
  }
  switch (m.type) {
    case MessageType.AppResp:
      handleAppendResponse(r, m, pr);
      return;
    case MessageType.HeartbeatResp:
      handleHeartbeatResponse(r, m, pr);
      return;
    case MessageType.SnapStatus:
      if (pr.state !== ProgressState.Snapshot) return;
      if (m.reject) pr.pendingSnapshot = 0; // failed: probe from the match index again
      pr.becomeProbe();
      // Wait for a heartbeat response before probing, to give the follower time to apply it.
      pr.msgAppFlowPaused = true;
      return;
    case MessageType.Unreachable:
      // Optimistic appends were probably lost: fall back to probing.
      if (pr.state === ProgressState.Replicate) pr.becomeProbe();
      return;
    case MessageType.TransferLeader:
      handleTransferLeader(r, m.from, pr);
      return;
    default:
      return;
  }
}

function handlePropose(r: Raft, m: Message): void {
  if (m.entries.length === 0) throw new Error("raft invariant violated: stepped an empty proposal");
  if (!r.trk.progress.has(r.id)) {
    dropRequest(r, m, "this leader was removed from the configuration");
    return;
  }
  if (r.leadTransferee !== NO_NODE) {
    dropRequest(r, m, `leadership is being transferred to ${r.leadTransferee}`);
    return;
  }
  for (const e of m.entries) {
    if (e.data.length > r.cfg.maxProposalBytes) {
      if (m.from === r.id || m.from === NO_NODE) {
        throw new RaftError(
          "proposal-too-large",
          `proposal of ${e.data.length} bytes is over ${r.cfg.maxProposalBytes}`,
        );
      }
      dropRequest(r, m, "proposal too large");
      return;
    }
  }
  const entries: Entry[] = m.entries.map((e, i) => {
    if (e.type !== EntryType.ConfChange) return e;
    const refused = refuseConfChange(r, e.data);
    if (refused !== undefined) {
      if (m.from === r.id || m.from === NO_NODE) throw refused;
      r.logger.info("refusing a forwarded conf change", { id: r.id, reason: refused.message });
      return { ...e, type: EntryType.Normal, data: EMPTY };
    }
    r.pendingConfIndex = r.log.lastIndex() + i + 1;
    return e;
  });
  if (!r.appendEntry(entries)) {
    dropRequest(r, m, `uncommitted entries are over ${r.cfg.maxUncommittedEntriesBytes} bytes`);
    return;
  }
  r.bcastAppend();
}

/** Why a conf change proposal must be refused now, or undefined when it may go into the log. */
function refuseConfChange(r: Raft, data: Uint8Array): RaftError | undefined {
  const cc = decodeConfChange(data);
  const alreadyPending = r.pendingConfIndex > r.log.applied;
  const alreadyJoint = r.trk.isJoint();
  const wantsLeaveJoint = isLeaveJoint(cc);
  if (alreadyPending) {
    return new RaftError(
      "conf-change-pending",
      `a conf change at index ${r.pendingConfIndex} is not applied yet (applied ${r.log.applied})`,
    );
  }
  if (alreadyJoint && !wantsLeaveJoint) {
    return new RaftError("conf-change-invalid", "must leave the joint configuration first");
  }
  if (!alreadyJoint && wantsLeaveJoint) {
    return new RaftError(
      "conf-change-invalid",
      "not in a joint configuration: refusing an empty conf change",
    );
  }
  try {
    // With nothing pending, the configuration it will apply to is the current one: try it.
    new ConfChanger(r.trk, r.log.lastIndex()).change(cc);
  } catch (err) {
    if (err instanceof RaftError) return err;
    throw err;
  }
  return undefined;
}

function handleAppendResponse(r: Raft, m: Message, pr: Progress): void {
  pr.recentActive = true;
  if (m.reject) {
    let nextProbe = m.rejectHint;
    if (m.logTerm > 0) {
      // The follower's entry at rejectHint has term m.logTerm: skip every index of ours whose
      // term is above it, since none of those can match.
      nextProbe = r.log.findConflictByTerm(m.rejectHint, m.logTerm)[0];
    }
    if (pr.maybeDecrTo(m.index, nextProbe)) {
      if (pr.state === ProgressState.Replicate) pr.becomeProbe();
      r.sendAppend(m.from);
    }
    return;
  }
  const wasPaused = pr.isPaused();
  if (!pr.maybeUpdate(m.index) && !(pr.match === m.index && pr.state === ProgressState.Probe)) return;
  if (pr.state === ProgressState.Probe) {
    pr.becomeReplicate();
  } else if (pr.state === ProgressState.Snapshot && pr.match + 1 >= r.log.firstIndex()) {
    // The follower caught up past the compaction point (the snapshot or our log reached it).
    pr.becomeProbe();
    pr.becomeReplicate();
  } else if (pr.state === ProgressState.Replicate) {
    pr.inflights.freeLE(m.index);
  }
  if (r.maybeCommit()) {
    releasePendingReadIndexMessages(r);
    r.bcastAppend();
  } else if (wasPaused) {
    // The follower may have missed a commit index update while we were paused.
    r.sendAppend(m.from);
  }
  // Flow control may now allow several (size-limited) appends in flight at once.
  while (r.maybeSendAppend(m.from, false)) {}
  if (m.from === r.leadTransferee && pr.match === r.log.lastIndex()) {
    r.logger.info("transferee caught up: sending TimeoutNow", { id: r.id, to: m.from });
    sendTimeoutNow(r, m.from);
  }
}

function handleHeartbeatResponse(r: Raft, m: Message, pr: Progress): void {
  pr.recentActive = true;
  pr.msgAppFlowPaused = false;
  // The follower is alive: if appends (or their answers) were lost with the window full, free one
  // slot so replication resumes instead of waiting forever.
  if (pr.state === ProgressState.Replicate && pr.inflights.full()) pr.inflights.freeFirstOne();
  if (pr.match < r.log.lastIndex() || pr.state === ProgressState.Probe) r.sendAppend(m.from);
  if (r.readOnly.option !== "safe" || m.context.length === 0) return;
  const acks = r.readOnly.recvAck(m.from, m.context);
  if (!acks) return;
  const votes = new Map<NodeId, boolean>();
  for (const id of acks) votes.set(id, true);
  if (r.trk.voteResult(votes) !== VoteResult.Won) return;
  for (const rs of r.readOnly.advance(m.context)) respondToReadIndex(r, rs.req, rs.index);
}

function handleTransferLeader(r: Raft, transferee: NodeId, pr: Progress): void {
  if (pr.isLearner) {
    r.logger.debug("cannot transfer leadership to a learner", { id: r.id, to: transferee });
    return;
  }
  if (r.leadTransferee !== NO_NODE) {
    if (r.leadTransferee === transferee) return; // already under way
    r.abortLeaderTransfer();
  }
  if (transferee === r.id) return; // already leader
  // The transfer must finish within an election timeout (tickHeartbeat aborts it otherwise).
  r.electionElapsed = 0;
  r.leadTransferee = transferee;
  if (pr.match === r.log.lastIndex()) {
    sendTimeoutNow(r, transferee);
  } else {
    r.sendAppend(transferee);
  }
}

function sendTimeoutNow(r: Raft, to: NodeId): void {
  r.send(message({ type: MessageType.TimeoutNow, to }));
}

function committedEntryInCurrentTerm(r: Raft): boolean {
  return r.log.termOrZero(r.log.committed) === r.term;
}

function handleReadIndex(r: Raft, m: Message): void {
  if (r.trk.isSingleton()) {
    respondToReadIndex(r, m, r.log.committed);
    return;
  }
  // Until this leader commits an entry of its own term it does not know the true commit index.
  if (!committedEntryInCurrentTerm(r)) {
    r.pendingReadIndexMessages.push(m);
    return;
  }
  sendReadIndexResponse(r, m);
}

function sendReadIndexResponse(r: Raft, m: Message): void {
  if (r.readOnly.option === "safe") {
    r.readOnly.addRequest(r.log.committed, m);
    r.readOnly.recvAck(r.id, m.context);
    r.bcastHeartbeat(m.context);
  } else {
    // Lease: check-quorum guarantees no other leader was elected within the election timeout.
    respondToReadIndex(r, m, r.log.committed);
  }
}

export function releasePendingReadIndexMessages(r: Raft): void {
  if (r.pendingReadIndexMessages.length === 0 || !committedEntryInCurrentTerm(r)) return;
  const msgs = r.pendingReadIndexMessages;
  r.pendingReadIndexMessages = [];
  for (const m of msgs) sendReadIndexResponse(r, m);
}

function respondToReadIndex(r: Raft, req: Message, index: number): void {
  if (req.from === NO_NODE || req.from === r.id) {
    r.readStates.push({ index, requestCtx: req.context });
    return;
  }
  r.send(message({ type: MessageType.ReadIndexResp, to: req.from, index, context: req.context }));
}
