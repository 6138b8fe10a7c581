/**
 * RaftDriver runs a RawNode for real: it ticks on a timer, steps peers' messages, and executes
 * each Ready in the order documented in the package README (persist, append, send, apply,
 * advance). Proposals and reads return promises settled by the apply.
 */
import { randomInt } from "node:crypto";
import { decodeConfChange, encodeConfChange, message } from "../codec.ts";
import { RaftError } from "../errors.ts";
import type { Transport } from "../transport/transport.ts";
import {
  type ConfChange,
  ConfChangeType,
  type ConfState,
  type Entry,
  EntryType,
  type HardState,
  type Logger,
  type Message,
  MessageType,
  NO_NODE,
  type NodeId,
  type Ready,
  Role,
  type Snapshot,
  SnapshotStatus,
} from "../types.ts";
import { DriverError } from "./driver-error.ts";
import { type DriverOptions, type DriverSettings, resolveDriverSettings } from "./driver-options.ts";
import { unwrapCommand, wrapCommand } from "./envelope.ts";
import { applyMembership } from "./membership.ts";
import type { DurableLog, LogStorage, RaftNode, StateMachine } from "./ports.ts";
import { ReadIndexQueue } from "./read-index-queue.ts";
import { SnapshotSaver } from "./snapshot-saver.ts";
import { Waiters } from "./waiters.ts";

export class RaftDriver<R = unknown> {
  readonly id: NodeId;
  private readonly node: RaftNode;
  private readonly storage: LogStorage;
  private readonly log: DurableLog;
  private readonly transport: Transport;
  private readonly stateMachine: StateMachine<R>;
  private readonly logger: Logger;
  private readonly settings: DriverSettings;
  private readonly onFatal: ((err: Error) => void) | undefined;
  /** Random per start, so proposal and read ids never repeat across restarts. */
  private readonly incarnation = randomInt(1, 2 ** 31);
  private nextSeq = 1;
  private readonly proposals: Waiters<number, R>;
  private readonly confChanges: Waiters<string, ConfState>;
  private readonly reads: ReadIndexQueue;
  private leaderId: NodeId = NO_NODE;
  private role: Role = Role.Follower;
  // Invariant: applied never decreases except by installing a newer snapshot (which raises it).
  private applied: number;
  private snapshotIndex: number;
  /** A member was added while the log was compacted: snapshot now, so it gets one that names it. */
  private snapshotWanted = false;
  /** The last index written to the durable log (entries up to it are on this node's disk). */
  private persistedIndex: number;
  private confState: ConfState;
  private ticker: NodeJS.Timeout | undefined;
  private loopRunning = false;
  private loopScheduled = false;
  private idle: Promise<void> = Promise.resolve();
  private stopped = false;
  private failed = false;
  /** A hard state that only moved the commit index, not yet written (see persist). */
  private deferredHardState: HardState | undefined;
  private readonly snapshots: SnapshotSaver;

  constructor(options: DriverOptions<R>) {
    this.settings = resolveDriverSettings(options as DriverOptions<unknown>);
    this.node = options.node;
    this.storage = options.storage;
    this.log = options.log;
    this.transport = options.transport;
    this.stateMachine = options.stateMachine;
    this.logger = options.logger;
    this.onFatal = options.onFatal;
    this.id = options.transport.id;
    this.applied = options.applied;
    this.snapshotIndex = options.applied;
    this.persistedIndex = options.storage.lastIndex();
    this.confState = options.confState;
    const { proposalsPendingMax, requestTimeoutMs } = this.settings;
    this.proposals = new Waiters("proposal", proposalsPendingMax, requestTimeoutMs);
    this.confChanges = new Waiters("conf change", 1, requestTimeoutMs);
    this.snapshots = new SnapshotSaver({
      storage: this.storage,
      log: this.log,
      logger: this.logger,
      compactionKeepEntries: this.settings.compactionKeepEntries,
      isStopped: () => this.stopped,
      fail: (err) => this.fail(err),
    });
    this.reads = new ReadIndexQueue(this.incarnation, this.settings, (ctx) => this.issueRead(ctx), Date.now);
  }

  get leader(): NodeId {
    return this.leaderId;
  }
  get isLeader(): boolean {
    return this.role === Role.Leader;
  }
  get appliedIndex(): number {
    return this.applied;
  }

  start(): void {
    if (this.ticker || this.stopped) return;
    this.transport.onMessage((m) => this.handleMessage(m));
    this.transport.onUnreachable((peer) => this.handleUnreachable(peer));
    this.ticker = setInterval(() => this.handleTick(), this.settings.tickMs);
    this.schedule();
  }

  /** Stops ticking, rejects every waiting request and waits for the Ready in progress. Idempotent. */
  async stop(): Promise<void> {
    this.halt(new DriverError("stopped", "the raft driver stopped"));
    await this.idle;
    await this.snapshots.idle();
    const deferred = this.deferredHardState;
    this.deferredHardState = undefined;
    // Best effort: losing it is safe (see persist), so a closed WAL only earns a warning.
    if (deferred && !this.failed) {
      await this.log.save(deferred, [], true).catch((err: Error) => {
        this.logger.warn("driver: could not write the last commit index on stop", { error: err.message });
      });
    }
  }

  /** Proposes a command; resolves with the state machine's result once applied on this node. */
  propose(command: Uint8Array): Promise<R> {
    if (this.stopped) return Promise.reject(new DriverError("stopped", "the raft driver stopped"));
    const seq = this.nextSeq++;
    const applied = this.proposals.add(seq, Date.now());
    if (this.proposals.has(seq)) {
      const data = wrapCommand({ proposer: this.id, incarnation: this.incarnation, seq }, command);
      this.callNode(
        (n) => n.propose(data),
        (err) => this.proposals.reject(seq, err),
      );
    }
    return applied;
  }

  /** Proposes a membership change; resolves with the new ConfState once applied. */
  proposeConfChange(cc: ConfChange): Promise<ConfState> {
    if (this.stopped) return Promise.reject(new DriverError("stopped", "the raft driver stopped"));
    const key = bytesKey(encodeConfChange(cc));
    const applied = this.confChanges.add(key, Date.now());
    if (this.confChanges.has(key)) {
      this.callNode(
        (n) => n.proposeConfChange(cc),
        (err) => this.confChanges.reject(key, err),
      );
    }
    return applied;
  }

  /**
   * A linearizable read barrier: resolves once this node has applied everything committed before
   * the call, so the caller may then read its state machine.
   */
  read(): Promise<number> {
    if (this.stopped) return Promise.reject(new DriverError("stopped", "the raft driver stopped"));
    return this.reads.read();
  }

  transferLeadership(to: NodeId): void {
    this.callNode(
      (n) => n.transferLeadership(to),
      () => {},
    );
  }

  private issueRead(ctx: Uint8Array): void {
    this.callNode(
      (n) => n.readIndex(ctx),
      () => {},
    );
  }

  /** Runs an input against the node; expected RaftErrors go to `onError`, then schedules a Ready. */
  private callNode(input: (node: RaftNode) => void, onError: (err: RaftError) => void): void {
    if (this.stopped) return;
    try {
      input(this.node);
    } catch (err) {
      if (err instanceof RaftError) onError(err);
      else this.fail(err);
    }
    this.schedule();
  }

  private handleMessage(m: Message): void {
    this.callNode(
      (n) => n.step(m),
      (err) => this.logger.warn("driver: step refused a message", { from: m.from, error: err.message }),
    );
  }

  private handleUnreachable(peer: NodeId): void {
    this.callNode(
      (n) => {
        if (n.reportUnreachable) n.reportUnreachable(peer);
        else n.step(message({ type: MessageType.Unreachable, from: peer, to: this.id }));
      },
      () => {},
    );
  }

  private handleTick(): void {
    const now = Date.now();
    this.proposals.expire(now);
    this.confChanges.expire(now);
    this.reads.expire(now);
    this.callNode(
      (n) => n.tick(),
      () => {},
    );
  }

  /** Runs Readys one at a time; inputs arriving meanwhile are batched into the next Ready. */
  private schedule(): void {
    if (this.loopRunning || this.loopScheduled || this.stopped) return;
    this.loopScheduled = true;
    setImmediate(() => {
      this.loopScheduled = false;
      if (this.loopRunning || this.stopped) return;
      this.loopRunning = true;
      this.idle = this.runReadyLoop().finally(() => {
        this.loopRunning = false;
      });
    });
  }

  private async runReadyLoop(): Promise<void> {
    try {
      while (!this.stopped && this.node.hasReady()) await this.handleReady(this.node.ready());
    } catch (err) {
      this.fail(err);
    }
  }

  /** One Ready, in the documented order (see the package README). */
  private async handleReady(rd: Ready): Promise<void> {
    if (rd.softState) this.handleSoftState(rd.softState.leader, rd.softState.role);
    const sendEarly = this.settings.pipelineLeaderSends && this.role === Role.Leader;
    if (sendEarly) this.transport.send(rd.messages);
    // Committed entries already on this node's disk are applied while the new ones are written.
    const early = rd.snapshot ? 0 : countAtOrBelow(rd.committedEntries, this.durableApplyBound(rd));
    if (early > 0) this.applyEntries(rd.committedEntries.slice(0, early));
    // 1. Persist: snapshot, then hard state and entries (awaiting the WAL's group commit).
    if (rd.snapshot) await this.log.saveSnapshot(rd.snapshot);
    await this.persist(rd);
    const last = rd.entries[rd.entries.length - 1];
    if (last) this.persistedIndex = last.index;
    if (rd.snapshot) this.persistedIndex = rd.snapshot.metadata.index;
    // 2. Make them visible to the core.
    if (rd.snapshot) this.storage.applySnapshot(rd.snapshot);
    if (rd.hardState) this.storage.setHardState(rd.hardState);
    if (rd.entries.length > 0) this.storage.append(rd.entries);
    // 3. Send, now that what the messages promise is durable.
    if (!sendEarly) this.transport.send(rd.messages);
    this.reportSnapshotsSent(rd.messages);
    // 4. Apply the snapshot, then the remaining committed entries.
    if (rd.snapshot) this.installSnapshot(rd.snapshot);
    this.applyEntries(early > 0 ? rd.committedEntries.slice(early) : rd.committedEntries);
    this.reads.handleReadStates(rd.readStates, this.applied);
    // 5. Snapshot when due (saved and compacted in the background), then hand the Ready back.
    this.maybeSnapshot();
    this.node.advance(rd);
  }

  /**
   * Writes the Ready's entries and hard state. A Ready that only moves the commit index is not
   * written: the commit index need not be durable (a restarted node learns it again from the
   * leader), so it rides along with the next write instead of costing a disk write of its own.
   */
  private async persist(rd: Ready): Promise<void> {
    if (!rd.mustSync && rd.entries.length === 0 && !rd.snapshot) {
      if (rd.hardState) this.deferredHardState = rd.hardState;
      return;
    }
    const hardState = rd.hardState ?? this.deferredHardState;
    this.deferredHardState = undefined;
    await this.log.save(hardState, rd.entries, rd.mustSync);
  }

  /**
   * The highest index whose entry is on this node's disk and not about to be overwritten by the
   * Ready's entries. A committed entry at or below it is durable on a quorum including this node.
   */
  private durableApplyBound(rd: Ready): number {
    const first = rd.entries[0];
    return first ? Math.min(this.persistedIndex, first.index - 1) : this.persistedIndex;
  }

  /** The transport cannot tell when a snapshot arrived; report it sent, as etcd's stream does. */
  private reportSnapshotsSent(messages: readonly Message[]): void {
    for (const m of messages) {
      if (m.type === MessageType.Snap) this.node.reportSnapshot?.(m.to, SnapshotStatus.Finish);
    }
  }

  private handleSoftState(leader: NodeId, role: Role): void {
    if (leader !== this.leaderId || (this.role === Role.Leader && role !== Role.Leader)) {
      const err = new DriverError("leadership-lost", `leader changed from ${this.leaderId} to ${leader}`);
      this.proposals.rejectAll(err);
      this.confChanges.rejectAll(err);
      this.reads.rejectAll(err);
      this.logger.info("driver: leader changed", { from: this.leaderId, to: leader, role });
    }
    this.leaderId = leader;
    this.role = role;
  }

  private installSnapshot(snapshot: Snapshot): void {
    const { index, confState } = snapshot.metadata;
    if (index <= this.applied) return;
    this.stateMachine.restore(snapshot.data);
    this.applied = index;
    this.snapshotIndex = index;
    this.confState = confState;
  }

  private applyEntries(entries: readonly Entry[]): void {
    for (const e of entries) {
      if (e.index <= this.applied) continue;
      if (e.index !== this.applied + 1) throw new Error(`driver: gap in applied entries at ${e.index}`);
      if (e.type === EntryType.ConfChange) this.applyConfChangeEntry(e);
      else if (e.data.length > 0) this.applyCommand(e);
      this.applied = e.index;
    }
  }

  private applyCommand(e: Entry): void {
    const { id, command } = unwrapCommand(e.data);
    const result = this.stateMachine.apply(command, e);
    if (id.proposer === this.id && id.incarnation === this.incarnation)
      this.proposals.resolve(id.seq, result);
  }

  private applyConfChangeEntry(e: Entry): void {
    const cc = decodeConfChange(e.data);
    this.confState = this.node.applyConfChange(cc);
    // A new member whose entries are compacted away catches up from a snapshot; the last one may
    // predate its addition, and a snapshot whose configuration lacks a node is refused by it.
    const adds = cc.changes.some(
      (c) => c.type === ConfChangeType.AddNode || c.type === ConfChangeType.AddLearner,
    );
    if (adds && this.storage.firstIndex() > 1) this.snapshotWanted = true;
    applyMembership(this.transport, cc, this.logger);
    this.stateMachine.applyConfChange?.(cc, this.confState);
    this.confChanges.resolve(bytesKey(e.data), this.confState);
  }

  /**
   * Starts a snapshot at the applied index when due. The state machine captures its state now and
   * may encode it asynchronously; recording, saving and compacting happen off the Ready path (one
   * snapshot at a time), so a large state never stalls replication.
   */
  private maybeSnapshot(): void {
    const every = this.settings.snapshotEveryEntries;
    if (every === 0 || this.snapshots.busy) return;
    if (!this.snapshotWanted && this.applied - this.snapshotIndex < every) return;
    this.snapshotWanted = false;
    const index = this.applied;
    const confState = this.confState;
    const data = this.stateMachine.snapshot();
    // The WAL must never hold a snapshot beyond its commit index: queue the deferred hard state
    // (commit >= applied) ahead of the snapshot's marker, whose sync makes both durable.
    const deferred = this.deferredHardState;
    this.deferredHardState = undefined;
    if (deferred) this.log.save(deferred, [], false).catch((err: unknown) => this.fail(err));
    this.snapshotIndex = index;
    this.snapshots.start(index, confState, data);
  }

  private fail(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    if (this.stopped) return;
    this.failed = true;
    this.logger.error("driver: stopping after a fatal error", { error: error.message });
    this.halt(new DriverError("stopped", `the raft driver failed: ${error.message}`));
    this.onFatal?.(error);
  }

  private halt(err: DriverError): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    this.proposals.rejectAll(err);
    this.confChanges.rejectAll(err);
    this.reads.rejectAll(err);
  }
}

function countAtOrBelow(entries: readonly Entry[], index: number): number {
  let n = 0;
  while (n < entries.length && (entries[n] as Entry).index <= index) n++;
  return n;
}

function bytesKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}
