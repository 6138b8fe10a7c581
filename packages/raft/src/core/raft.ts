/**
 * The Raft state machine (etcd-io/raft's raft.go design). Deterministic: it changes only when
 * ticked or stepped, and its outputs are the messages in `msgs`, the read states in `readStates`
 * and its log, which RawNode turns into Ready batches. Roles are data: becomeX swaps `stepFn` and
 * `tickFn`. Role-specific handling lives in step-leader.ts and step-follower.ts.
 */

import { message } from "../codec.ts";
import { type Config, validateConfig } from "../config.ts";
import { assert, RaftError } from "../errors.ts";
import {
  type Entry,
  EntryType,
  type HardState,
  type Logger,
  type Message,
  MessageType,
  NO_NODE,
  type NodeId,
  type ReadState,
  Role,
  type SoftState,
} from "../types.ts";
import { ConfChanger } from "./conf-change.ts";
import { handleVoteRequest, hup } from "./election.ts";
import { bytesEqual, entriesBytes } from "./entry-size.ts";
import { assertConfStatesEquivalent, switchToConfig } from "./raft-conf.ts";
import { RaftLog } from "./raft-log.ts";
import { ReadOnly } from "./read-only.ts";
import { stepCandidate, stepFollower } from "./step-follower.ts";
import { stepLeader } from "./step-leader.ts";
import { ProgressTracker } from "./tracker.ts";

export type CampaignType = "pre-election" | "election" | "transfer";

/** Vote context marking a campaign started by a leadership transfer (it ignores the leader lease). */
export const CAMPAIGN_TRANSFER = new TextEncoder().encode("CampaignTransfer");
const EMPTY = new Uint8Array(0);

type StepFn = (r: Raft, m: Message) => void;

export class Raft {
  readonly id: NodeId;
  readonly logger: Logger;
  readonly cfg: Config;
  term = 0;
  vote: NodeId = NO_NODE;
  // Invariant: role === Leader implies lead === id.
  role = Role.Follower;
  lead: NodeId = NO_NODE;
  readonly log: RaftLog;
  trk: ProgressTracker;
  /** Outbox: messages for the next Ready. */
  msgs: Message[] = [];
  readStates: ReadState[] = [];
  /** The follower leadership is being transferred to, or NO_NODE. */
  leadTransferee: NodeId = NO_NODE;
  /** The index of the latest conf change proposed (a new one waits until it is applied). */
  pendingConfIndex = 0;
  /** Bytes of data of uncommitted entries in the leader's log (bounded by maxUncommittedEntriesBytes). */
  uncommittedSize = 0;
  readOnly: ReadOnly;
  /** ReadIndex requests received before this leader committed an entry of its own term. */
  pendingReadIndexMessages: Message[] = [];
  electionElapsed = 0;
  heartbeatElapsed = 0;
  randomizedElectionTimeout = 0;
  stepFn: StepFn = stepFollower;
  tickFn: () => void = () => this.tickElection();

  constructor(cfg: Config) {
    validateConfig(cfg);
    this.cfg = cfg;
    this.id = cfg.id;
    this.logger = cfg.logger;
    this.log = new RaftLog(cfg.storage, cfg.maxCommittedSizePerReadyBytes);
    this.trk = new ProgressTracker(cfg.maxInflightMsgs);
    this.readOnly = new ReadOnly(cfg.readOnlyOption);
    const { hardState, confState } = cfg.storage.initialState();
    const [config, progress] = new ConfChanger(this.trk, this.log.lastIndex()).restore(confState);
    assertConfStatesEquivalent(confState, switchToConfig(this, config, progress));
    if (hardState.term !== 0 || hardState.vote !== NO_NODE || hardState.commit !== 0)
      this.loadState(hardState);
    if (cfg.applied > 0) this.log.appliedTo(cfg.applied);
    this.becomeFollower(this.term, NO_NODE);
  }

  private loadState(hs: HardState): void {
    assert(
      hs.commit >= this.log.committed && hs.commit <= this.log.lastIndex(),
      `hard state commit ${hs.commit} is out of range [${this.log.committed}, ${this.log.lastIndex()}]`,
    );
    this.log.committed = hs.commit;
    this.term = hs.term;
    this.vote = hs.vote;
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  softState(): SoftState {
    return { leader: this.lead, role: this.role };
  }

  /** Queues a message. Votes carry their own term; everything else gets ours (proposals and reads none). */
  send(m: Message): void {
    const t = m.type;
    if (
      t === MessageType.Vote ||
      t === MessageType.VoteResp ||
      t === MessageType.PreVote ||
      t === MessageType.PreVoteResp
    ) {
      assert(m.term !== 0, `term must be set for ${MessageType[t]}`);
      this.msgs.push({ ...m, from: this.id });
      return;
    }
    assert(m.term === 0, `term must not be set for ${MessageType[t]} (was ${m.term})`);
    const term = t === MessageType.Prop || t === MessageType.ReadIndex ? 0 : this.term;
    // A forwarded transfer request keeps its sender: the transferee.
    const from = t === MessageType.TransferLeader && m.from !== NO_NODE ? m.from : this.id;
    this.msgs.push({ ...m, from, term });
  }

  /** Sends an append (or a snapshot) to `to` if its flow control allows; true if something was sent. */
  maybeSendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.trk.progress.get(to);
    if (!pr || pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    let ents: Entry[] | undefined;
    if (prevTerm !== undefined) {
      try {
        ents = this.log.entries(pr.next, this.cfg.maxSizePerMsgBytes);
      } catch (err) {
        if (!(err instanceof RaftError && err.code === "compacted")) throw err;
      }
    }
    if (prevTerm === undefined || ents === undefined) return this.maybeSendSnapshot(to);
    if (ents.length === 0 && !sendIfEmpty) return false;
    this.send(
      message({
        type: MessageType.App,
        to,
        index: prevIndex,
        logTerm: prevTerm,
        entries: ents,
        commit: this.log.committed,
      }),
    );
    pr.updateOnEntriesSend(ents.length, ents.length > 0 ? ents[ents.length - 1]!.index : prevIndex);
    return true;
  }

  private maybeSendSnapshot(to: NodeId): boolean {
    const pr = this.trk.progress.get(to)!;
    if (!pr.recentActive) {
      this.logger.debug("not sending a snapshot to an inactive follower", { id: this.id, to });
      return false;
    }
    let snapshot: ReturnType<RaftLog["snapshot"]>;
    try {
      snapshot = this.log.snapshot();
    } catch (err) {
      if (err instanceof RaftError && err.code === "snapshot-temporarily-unavailable") return false;
      throw err;
    }
    assert(snapshot.metadata.index > 0, "a needed snapshot must not be empty");
    pr.becomeSnapshot(snapshot.metadata.index);
    this.logger.debug("sending snapshot", { id: this.id, to, index: snapshot.metadata.index });
    this.send(message({ type: MessageType.Snap, to, snapshot }));
    return true;
  }

  sendAppend(to: NodeId): void {
    this.maybeSendAppend(to, true);
  }

  bcastAppend(): void {
    this.trk.visit((id) => {
      if (id !== this.id) this.sendAppend(id);
    });
  }

  sendHeartbeat(to: NodeId, context: Uint8Array): void {
    const pr = this.trk.progress.get(to)!;
    // Only commit what the follower is known to have, so it never commits beyond its log.
    const commit = Math.min(pr.match, this.log.committed);
    this.send(message({ type: MessageType.Heartbeat, to, commit, context }));
  }

  bcastHeartbeat(context: Uint8Array = this.readOnly.lastPendingRequestCtx()): void {
    this.trk.visit((id) => {
      if (id !== this.id) this.sendHeartbeat(id, context);
    });
  }

  /** Appends new entries to the leader's log; false when over the uncommitted-bytes limit. */
  appendEntry(es: readonly Pick<Entry, "type" | "data">[]): boolean {
    const li = this.log.lastIndex();
    const ents: Entry[] = es.map((e, i) => ({
      term: this.term,
      index: li + 1 + i,
      type: e.type,
      data: e.data,
    }));
    if (!this.increaseUncommittedSize(ents)) return false;
    const last = this.log.append(ents);
    this.trk.progress.get(this.id)?.maybeUpdate(last);
    this.maybeCommit();
    return true;
  }

  maybeCommit(): boolean {
    return this.log.maybeCommit(this.trk.committed(), this.term);
  }

  private increaseUncommittedSize(ents: readonly Entry[]): boolean {
    const s = entriesBytes(ents);
    if (this.uncommittedSize > 0 && s > 0 && this.uncommittedSize + s > this.cfg.maxUncommittedEntriesBytes) {
      return false;
    }
    this.uncommittedSize += s;
    return true;
  }

  reduceUncommittedSize(s: number): void {
    this.uncommittedSize = s > this.uncommittedSize ? 0 : this.uncommittedSize - s;
  }

  private reset(term: number): void {
    if (this.term !== term) {
      assert(term > this.term, `term must not decrease (${this.term} -> ${term})`);
      this.term = term;
      this.vote = NO_NODE;
    }
    this.lead = NO_NODE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetRandomizedElectionTimeout();
    this.abortLeaderTransfer();
    this.trk.resetVotes();
    const last = this.log.lastIndex();
    for (const [id, pr] of this.trk.progress) {
      const fresh = this.trk.newProgress(last + 1, pr.isLearner);
      if (id === this.id) fresh.match = last;
      this.trk.progress.set(id, fresh);
    }
    this.pendingConfIndex = 0;
    this.uncommittedSize = 0;
    this.readOnly = new ReadOnly(this.cfg.readOnlyOption);
    this.pendingReadIndexMessages = [];
  }

  resetRandomizedElectionTimeout(): void {
    const e = this.cfg.electionTick;
    this.randomizedElectionTimeout = e + this.cfg.rng.intn(e);
  }

  abortLeaderTransfer(): void {
    this.leadTransferee = NO_NODE;
  }

  becomeFollower(term: number, lead: NodeId): void {
    this.stepFn = stepFollower;
    this.reset(term);
    this.tickFn = () => this.tickElection();
    this.lead = lead;
    this.role = Role.Follower;
  }

  becomePreCandidate(): void {
    assert(this.role !== Role.Leader, "invalid transition leader -> pre-candidate");
    // A pre-candidate changes neither term nor vote: it only asks whether it could win.
    this.stepFn = stepCandidate;
    this.trk.resetVotes();
    this.tickFn = () => this.tickElection();
    this.lead = NO_NODE;
    this.role = Role.PreCandidate;
  }

  becomeCandidate(): void {
    assert(this.role !== Role.Leader, "invalid transition leader -> candidate");
    this.stepFn = stepCandidate;
    this.reset(this.term + 1);
    this.tickFn = () => this.tickElection();
    this.vote = this.id;
    this.role = Role.Candidate;
  }

  becomeLeader(): void {
    assert(this.role !== Role.Follower, "invalid transition follower -> leader");
    this.stepFn = stepLeader;
    this.reset(this.term);
    this.tickFn = () => this.tickHeartbeat();
    this.lead = this.id;
    this.role = Role.Leader;
    const pr = this.trk.progress.get(this.id)!;
    pr.becomeReplicate();
    pr.recentActive = true;
    // Conservatively treat everything in the log as a possible conf change: no new one until it is applied.
    this.pendingConfIndex = this.log.lastIndex();
    // An empty entry of our term: committing it commits everything before it (§5.4.2, §8).
    assert(
      this.appendEntry([{ type: EntryType.Normal, data: EMPTY }]),
      "the empty leader entry is never refused",
    );
    this.logger.info("became leader", { id: this.id, term: this.term });
  }

  promotable(): boolean {
    const pr = this.trk.progress.get(this.id);
    return pr !== undefined && !pr.isLearner && !this.log.hasPendingSnapshot();
  }

  pastElectionTimeout(): boolean {
    return this.electionElapsed >= this.randomizedElectionTimeout;
  }

  tick(): void {
    this.tickFn();
  }

  private tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.pastElectionTimeout()) {
      this.electionElapsed = 0;
      this.step(message({ type: MessageType.Hup, from: this.id }));
    }
  }

  private tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.cfg.electionTick) {
      this.electionElapsed = 0;
      if (this.cfg.checkQuorum) this.step(message({ type: MessageType.CheckQuorum, from: this.id }));
      // The transfer did not finish within an election timeout: give up on it.
      if (this.role === Role.Leader && this.leadTransferee !== NO_NODE) this.abortLeaderTransfer();
    }
    if (this.role !== Role.Leader) return;
    if (this.heartbeatElapsed >= this.cfg.heartbeatTick) {
      this.heartbeatElapsed = 0;
      this.step(message({ type: MessageType.Beat, from: this.id }));
    }
  }

  /** Processes one message: the term rules common to every role, then the role's step function. */
  step(m: Message): void {
    if (m.term > this.term) {
      if (m.type === MessageType.Vote || m.type === MessageType.PreVote) {
        const force = bytesEqual(m.context, CAMPAIGN_TRANSFER);
        const inLease =
          this.cfg.checkQuorum && this.lead !== NO_NODE && this.electionElapsed < this.cfg.electionTick;
        // Leader lease: we heard from a live leader within the minimum election timeout, so this
        // candidate is probably a disruptive rejoining node. Ignore it without raising our term.
        if (!force && inLease) return;
      }
      if (m.type === MessageType.PreVote) {
        // Never change our term in response to a pre-vote.
      } else if (m.type === MessageType.PreVoteResp && !m.reject) {
        // Our pre-vote was granted at the future term; the term rises when we campaign for real.
      } else {
        const fromLeader =
          m.type === MessageType.App || m.type === MessageType.Heartbeat || m.type === MessageType.Snap;
        this.becomeFollower(m.term, fromLeader ? m.from : NO_NODE);
      }
    } else if (m.term !== 0 && m.term < this.term) {
      this.handleStaleTerm(m);
      return;
    }
    switch (m.type) {
      case MessageType.Hup:
        hup(this, this.cfg.preVote ? "pre-election" : "election");
        return;
      case MessageType.Vote:
      case MessageType.PreVote:
        handleVoteRequest(this, m);
        return;
      default:
        this.stepFn(this, m);
    }
  }

  private handleStaleTerm(m: Message): void {
    if (
      (this.cfg.checkQuorum || this.cfg.preVote) &&
      (m.type === MessageType.Heartbeat || m.type === MessageType.App)
    ) {
      // A leader from an older term (e.g. after a partition with check-quorum or pre-vote keeping
      // our term from rising): tell it about our term so it steps down.
      this.send(message({ type: MessageType.AppResp, to: m.from }));
    } else if (m.type === MessageType.PreVote) {
      // Reject so the pre-candidate learns our term and stops waiting.
      this.send(message({ type: MessageType.PreVoteResp, to: m.from, term: this.term, reject: true }));
    }
  }
}
