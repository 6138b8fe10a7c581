/**
 * RawNode: the Raft core's public face (rawnode.go's design). The caller ticks it, steps peers'
 * messages into it, and executes each Ready in the order documented on the Ready type before
 * calling advance(). Nothing here does I/O or reads a clock.
 */

import { encodeConfChange, message } from "../codec.ts";
import type { Config } from "../config.ts";
import { assert, RaftError } from "../errors.ts";
import {
  type ConfChange,
  ConfChangeType,
  type ConfState,
  type Entry,
  EntryType,
  type HardState,
  type Message,
  MessageType,
  NO_NODE,
  type NodeId,
  type Ready,
  Role,
  SnapshotStatus as SnapStatus,
  type SnapshotStatus,
  type SoftState,
} from "../types.ts";
import { entriesBytes } from "./entry-size.ts";
import { checkRaftInvariants } from "./invariants.ts";
import { type Progress, ProgressState } from "./progress.ts";
import { Raft } from "./raft.ts";
import { applyConfChange } from "./raft-conf.ts";

const LOCAL_MESSAGES: ReadonlySet<MessageType> = new Set([
  MessageType.Hup,
  MessageType.Beat,
  MessageType.Unreachable,
  MessageType.SnapStatus,
  MessageType.CheckQuorum,
]);

const RESPONSE_MESSAGES: ReadonlySet<MessageType> = new Set([
  MessageType.AppResp,
  MessageType.VoteResp,
  MessageType.HeartbeatResp,
  MessageType.PreVoteResp,
]);

export interface ProgressStatus {
  readonly match: number;
  readonly next: number;
  readonly state: "probe" | "replicate" | "snapshot";
  readonly pendingSnapshot: number;
  readonly recentActive: boolean;
  readonly paused: boolean;
  readonly inflight: number;
  readonly isLearner: boolean;
}

export interface Status {
  readonly id: NodeId;
  readonly term: number;
  readonly vote: NodeId;
  readonly commit: number;
  readonly applied: number;
  readonly lead: NodeId;
  readonly role: SoftState["role"];
  readonly leadTransferee: NodeId;
  /** Every member's progress; only on the leader. */
  readonly progress?: ReadonlyMap<NodeId, ProgressStatus>;
  readonly confState: ConfState;
}

function sameHardState(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

function progressStatus(pr: Progress): ProgressStatus {
  const state =
    pr.state === ProgressState.Probe
      ? "probe"
      : pr.state === ProgressState.Replicate
        ? "replicate"
        : "snapshot";
  return {
    match: pr.match,
    next: pr.next,
    state,
    pendingSnapshot: pr.pendingSnapshot,
    recentActive: pr.recentActive,
    paused: pr.isPaused(),
    inflight: pr.inflights.length(),
    isLearner: pr.isLearner,
  };
}

/**
 * Writes the first members of a brand-new cluster as committed ConfChange entries at term 1 (so
 * they are persisted and replayed like any others) and applies them. Storage must be empty.
 */
function bootstrapPeers(r: Raft, peers: readonly NodeId[]): void {
  const s = r.cfg.storage;
  assert(s.lastIndex() === 0 && s.initialState().hardState.term === 0, "bootstrap needs empty storage");
  const changes = peers.map((id) => ({
    transition: "auto" as const,
    changes: [{ type: ConfChangeType.AddNode, nodeId: id }],
    context: new Uint8Array(0),
  }));
  r.becomeFollower(1, NO_NODE);
  const ents: Entry[] = changes.map((cc, i) => ({
    term: 1,
    index: i + 1,
    type: EntryType.ConfChange,
    data: encodeConfChange(cc),
  }));
  r.log.append(ents);
  r.log.commitTo(ents.length);
  for (const cc of changes) applyConfChange(r, cc);
}

export class RawNode {
  /** The state machine itself; exposed for tests and the simulator's invariant checks. */
  readonly raft: Raft;
  private prevSoftState: SoftState;
  private prevHardState: HardState;
  /** A Ready handed out and not yet advanced. */
  private outstanding: Ready | undefined = undefined;

  /**
   * A node over `config.storage`. Pass `peers` (including this node) only for a member of a
   * brand-new cluster; see bootstrap(). On restart leave it out: the membership comes from storage.
   */
  constructor(config: Config, peers?: readonly NodeId[]) {
    this.raft = new Raft(config);
    this.prevSoftState = this.raft.softState();
    this.prevHardState = this.raft.hardState();
    if (peers !== undefined && peers.length > 0) bootstrapPeers(this.raft, peers);
  }

  /**
   * A node of a brand-new cluster whose first members are `peers` (including itself). Its storage
   * must be empty; the first Ready carries the membership as committed ConfChange entries, which
   * the caller persists and applies like any others. Every initial member bootstraps the same way.
   */
  static bootstrap(config: Config, peers: readonly NodeId[]): RawNode {
    assert(peers.length > 0, "bootstrap needs at least one peer");
    return new RawNode(config, peers);
  }

  tick(): void {
    this.raft.tick();
  }

  /** Starts an election now (pre-vote first when enabled). */
  campaign(): void {
    this.raft.step(message({ type: MessageType.Hup, from: this.raft.id }));
  }

  /** Proposes a command. Throws "proposal-dropped" or "proposal-too-large" when it cannot be accepted. */
  propose(data: Uint8Array): void {
    this.checkProposalSize(data);
    this.raft.step(
      message({
        type: MessageType.Prop,
        from: this.raft.id,
        entries: [{ term: 0, index: 0, type: EntryType.Normal, data }],
      }),
    );
  }

  /** Proposes a membership change; apply it with applyConfChange() once committed. */
  proposeConfChange(cc: ConfChange): void {
    const data = encodeConfChange(cc);
    this.checkProposalSize(data);
    this.raft.step(
      message({
        type: MessageType.Prop,
        from: this.raft.id,
        entries: [{ term: 0, index: 0, type: EntryType.ConfChange, data }],
      }),
    );
  }

  private checkProposalSize(data: Uint8Array): void {
    const max = this.raft.cfg.maxProposalBytes;
    if (data.length > max)
      throw new RaftError("proposal-too-large", `proposal of ${data.length} bytes is over ${max}`);
  }

  /** Applies a committed ConfChange entry; returns the new membership (to store with snapshots). */
  applyConfChange(cc: ConfChange): ConfState {
    return applyConfChange(this.raft, cc);
  }

  /** Steps a message from a peer. Local message types are refused with "step-local-message". */
  step(m: Message): void {
    if (LOCAL_MESSAGES.has(m.type)) {
      throw new RaftError("step-local-message", `${MessageType[m.type]} is a local message type`);
    }
    // Responses from nodes we do not know (e.g. removed ones) carry no useful information.
    if (RESPONSE_MESSAGES.has(m.type) && !this.raft.trk.progress.has(m.from)) return;
    this.raft.step(m);
  }

  /** Requests a linearizable read; the answer comes in Ready.readStates with the same ctx. */
  readIndex(requestCtx: Uint8Array): void {
    this.raft.step(message({ type: MessageType.ReadIndex, from: this.raft.id, context: requestCtx }));
  }

  /** Asks the leader (this node, or forwarded to it) to hand leadership to `to`. */
  transferLeadership(to: NodeId): void {
    this.raft.step(message({ type: MessageType.TransferLeader, from: to, to: this.raft.id }));
  }

  /** The transport could not reach `id`: the leader stops streaming to it optimistically. */
  reportUnreachable(id: NodeId): void {
    this.raft.step(message({ type: MessageType.Unreachable, from: id }));
  }

  /** The result of sending a snapshot to `id`. */
  reportSnapshot(id: NodeId, status: SnapshotStatus): void {
    this.raft.step(
      message({ type: MessageType.SnapStatus, from: id, reject: status === SnapStatus.Failure }),
    );
  }

  hasReady(): boolean {
    const r = this.raft;
    const ss = r.softState();
    if (ss.leader !== this.prevSoftState.leader || ss.role !== this.prevSoftState.role) return true;
    if (!sameHardState(r.hardState(), this.prevHardState)) return true;
    if (r.log.hasPendingSnapshot()) return true;
    if (r.msgs.length > 0 || r.readStates.length > 0) return true;
    if (r.log.unstable.entries.length > 0) return true;
    return r.log.hasNextCommittedEnts();
  }

  /** The next batch of work. Call advance() with it before asking for another. */
  ready(): Ready {
    assert(this.outstanding === undefined, "ready() called again before advance()");
    const r = this.raft;
    checkRaftInvariants(r);
    const ss = r.softState();
    const hs = r.hardState();
    assert(hs.commit >= this.prevHardState.commit, "commit never decreases");
    assert(hs.term >= this.prevHardState.term, "term never decreases");
    const entries = [...r.log.unstable.entries];
    const snapshot = r.log.unstable.snapshot;
    const committedEntries = r.log.nextCommittedEnts();
    const softChanged = ss.leader !== this.prevSoftState.leader || ss.role !== this.prevSoftState.role;
    const hardChanged = !sameHardState(hs, this.prevHardState);
    const rd: Ready = {
      ...(softChanged ? { softState: ss } : {}),
      ...(hardChanged ? { hardState: hs } : {}),
      ...(snapshot ? { snapshot } : {}),
      readStates: r.readStates,
      entries,
      committedEntries,
      messages: r.msgs,
      // A snapshot raises the commit index: unsynced, a crash could leave a durable snapshot with
      // an older durable commit, which the restart rejects (commit below the snapshot index).
      mustSync:
        entries.length > 0 ||
        snapshot !== undefined ||
        hs.term !== this.prevHardState.term ||
        hs.vote !== this.prevHardState.vote,
    };
    // Accept: what is handed out is not handed out again.
    if (softChanged) this.prevSoftState = ss;
    if (hardChanged) this.prevHardState = hs;
    r.msgs = [];
    r.readStates = [];
    const last = committedEntries[committedEntries.length - 1];
    if (last) r.log.acceptApplying(last.index);
    this.outstanding = rd;
    return rd;
  }

  /** The caller finished the Ready: entries and snapshot are persisted, committed entries applied. */
  advance(rd: Ready): void {
    assert(this.outstanding === rd, "advance() must be given the last Ready handed out");
    this.outstanding = undefined;
    const r = this.raft;
    r.reduceUncommittedSize(entriesBytes(rd.committedEntries));
    const lastCommitted = rd.committedEntries[rd.committedEntries.length - 1];
    const newApplied = lastCommitted ? lastCommitted.index : (rd.snapshot?.metadata.index ?? 0);
    if (newApplied > 0) {
      const oldApplied = r.log.applied;
      r.log.appliedTo(newApplied);
      this.maybeAutoLeave(oldApplied, newApplied);
    }
    const lastEntry = rd.entries[rd.entries.length - 1];
    if (lastEntry) r.log.stableTo(lastEntry.index, lastEntry.term);
    if (rd.snapshot) r.log.stableSnapTo(rd.snapshot.metadata.index);
  }

  /** A leader in a joint configuration with autoLeave proposes leaving it once its entry is applied. */
  private maybeAutoLeave(oldApplied: number, newApplied: number): void {
    const r = this.raft;
    if (!r.trk.config.autoLeave || !r.trk.isJoint() || r.role !== Role.Leader) return;
    // Wait until the entry that entered the joint configuration (and any later one) is applied.
    if (newApplied < r.pendingConfIndex || oldApplied > newApplied) return;
    try {
      this.proposeConfChange({ transition: "auto", changes: [], context: new Uint8Array(0) });
      r.logger.info("leaving the joint configuration automatically", { id: r.id });
    } catch (err) {
      // E.g. a transfer is under way: we retry on the next advance, or the new leader does it.
      if (!(err instanceof RaftError)) throw err;
      r.logger.debug("not leaving the joint configuration yet", { id: r.id, reason: err.message });
    }
  }

  status(): Status {
    const r = this.raft;
    let progress: Map<NodeId, ProgressStatus> | undefined;
    if (r.lead === r.id) {
      progress = new Map();
      for (const [id, pr] of r.trk.progress) progress.set(id, progressStatus(pr));
    }
    return {
      id: r.id,
      term: r.term,
      vote: r.vote,
      commit: r.log.committed,
      applied: r.log.applied,
      lead: r.lead,
      role: r.role,
      leadTransferee: r.leadTransferee,
      ...(progress ? { progress } : {}),
      confState: r.trk.confState(),
    };
  }
}
