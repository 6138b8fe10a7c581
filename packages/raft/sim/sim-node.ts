/**
 * One simulated server: a RawNode, its MemoryStorage and simulated disk, and the key-value state
 * machine. It follows the Ready contract exactly — persist (sync when mustSync) → send → apply →
 * advance — and answers client requests: writes are proposed and answered when applied here,
 * reads go through ReadIndex (or, in the deliberately broken mode, straight from local state).
 */

import type { MemoryStorage } from "../src/core/memory-storage.ts";
import {
  type ConfState,
  decodeConfChange,
  type Entry,
  EntryType,
  type Message,
  NO_NODE,
  type NodeId,
  RaftError,
  Reader,
  type Ready,
  Role,
  type Snapshot,
  SnapshotStatus,
  Writer,
} from "../src/index.ts";
import type { ClientReply, ClientRequest } from "./client-protocol.ts";
import { check, type Invariants } from "./invariants.ts";
import { decodeCommand, encodeCommand, KvStateMachine } from "./kv-state-machine.ts";
import type { Prng } from "./prng.ts";
import { type RaftHandle, type RaftTuning, startRaft } from "./raft-handle.ts";
import { SimDisk } from "./sim-disk.ts";

export interface NodeEnv {
  readonly rng: Prng;
  readonly invariants: Invariants;
  readonly unsafeStaleReads: boolean;
  readonly tuning: RaftTuning;
  now(): number;
  log(text: string): void;
  send(msg: Message): void;
  reply(r: ClientReply): void;
  onConfState(id: NodeId, index: number, cs: ConfState): void;
}

/** Requests waiting longer than this are forgotten (their client has long given up). */
const REQUEST_EXPIRY_STEPS = 2_000;
const PENDING_REQUESTS_MAX = 64;
const READY_LOOPS_MAX = 16;

interface PendingRead {
  readonly req: ClientRequest;
  readonly since: number;
  index: number | undefined;
}

export class SimNode {
  readonly disk = new SimDisk();
  alive = false;
  incarnation = 0;
  role = Role.Follower;
  leader: NodeId = NO_NODE;
  term = 0;
  private raft: RaftHandle | undefined;
  private storage: MemoryStorage | undefined;
  private kv = new KvStateMachine();
  // Invariant: applied only grows while the node is up; it is the last index given to kv.
  applied = 0;
  confState: ConfState | undefined;
  /** The term in which this node last handled a Ready as leader (for the append-only check). */
  private leaderTerm = 0;
  private readonly pendingWrites = new Map<string, { req: ClientRequest; since: number }>();
  private readonly pendingReads = new Map<number, PendingRead>();
  private readId = 0;

  constructor(
    readonly id: NodeId,
    private readonly env: NodeEnv,
  ) {}

  /** Starts for the first time: a member of `peers` (bootstrap) or, with none, a node yet to join. */
  boot(peers: readonly NodeId[]): void {
    this.startFrom(peers);
  }

  crash(loseUnsynced: boolean): number {
    this.alive = false;
    this.incarnation++;
    this.raft = undefined;
    this.storage = undefined;
    this.pendingWrites.clear();
    this.pendingReads.clear();
    return this.disk.crash(loseUnsynced, this.env.rng);
  }

  restart(): void {
    this.startFrom([]);
  }

  private startFrom(peers: readonly NodeId[]): void {
    const { storage, snapshot } = this.disk.load();
    this.storage = storage;
    this.kv = snapshot === undefined ? new KvStateMachine() : KvStateMachine.restore(snapshot.data);
    this.applied = snapshot?.metadata.index ?? 0;
    this.confState = snapshot?.metadata.confState;
    this.term = storage.initialState().hardState.term;
    this.role = Role.Follower;
    this.leader = NO_NODE;
    this.leaderTerm = 0;
    this.raft = startRaft(this.id, storage, this.applied, peers, this.env.rng, this.env.tuning);
    this.alive = true;
    this.handleReadies();
  }

  tick(): void {
    this.raft!.tick();
  }

  step(msg: Message): void {
    this.raft!.step(msg);
  }

  reportSnapshot(to: NodeId, ok: boolean): void {
    this.raft!.reportSnapshot(to, ok ? SnapshotStatus.Finish : SnapshotStatus.Failure);
  }

  reportUnreachable(to: NodeId): void {
    this.raft!.reportUnreachable(to);
  }

  get raftHandle(): RaftHandle {
    return this.raft!;
  }

  handleRequest(req: ClientRequest): void {
    this.expireRequests();
    if (this.pendingWrites.size + this.pendingReads.size >= PENDING_REQUESTS_MAX) {
      this.redirect(req);
      return;
    }
    if (req.input.kind === "get") {
      if (this.env.unsafeStaleReads && this.role === Role.Leader) {
        // The deliberate bug: a node that believes it leads answers from local state.
        this.env.reply({ client: req.client, seq: req.seq, kind: "done", output: this.read(req) });
        return;
      }
      const id = ++this.readId;
      try {
        this.raft!.readIndex(new Writer(8).uint(id).finish());
      } catch (e) {
        if (!(e instanceof RaftError)) throw e;
        this.redirect(req);
        return;
      }
      this.pendingReads.set(id, { req, since: this.env.now(), index: undefined });
      return;
    }
    if (this.role !== Role.Leader && this.leader !== NO_NODE && this.env.rng.chance(0.7)) {
      this.redirect(req);
      return;
    }
    try {
      this.raft!.propose(encodeCommand({ client: req.client, seq: req.seq, input: req.input }));
    } catch (e) {
      if (!(e instanceof RaftError)) throw e;
      this.redirect(req);
      return;
    }
    this.pendingWrites.set(`${req.client}:${req.seq}`, { req, since: this.env.now() });
  }

  private redirect(req: ClientRequest): void {
    this.env.reply({ client: req.client, seq: req.seq, kind: "redirect", leaderHint: this.leader });
  }

  private read(req: ClientRequest): { kind: "get"; value: string | null } {
    return { kind: "get", value: this.kv.get(req.input.key) };
  }

  private expireRequests(): void {
    const oldest = this.env.now() - REQUEST_EXPIRY_STEPS;
    for (const [k, w] of this.pendingWrites) if (w.since < oldest) this.pendingWrites.delete(k);
    for (const [k, r] of this.pendingReads) if (r.since < oldest) this.pendingReads.delete(k);
  }

  /** Takes a snapshot at the applied index and compacts, keeping `keepEntries` before it. */
  compact(keepEntries: number): string | undefined {
    const storage = this.storage!;
    if (this.applied <= storage.snapshot().metadata.index || this.confState === undefined) return undefined;
    const snap = storage.createSnapshot(this.applied, this.confState, this.kv.snapshot());
    this.disk.write({ kind: "compact", snapshot: snap });
    this.disk.sync();
    const at = this.applied - keepEntries;
    if (at >= storage.firstIndex()) storage.compact(at);
    return `snapshot at ${this.applied}, log from ${storage.firstIndex()}`;
  }

  /** Runs Ready batches until the node has nothing more to do. */
  handleReadies(): void {
    for (let i = 0; i < READY_LOOPS_MAX && this.alive && this.raft!.hasReady(); i++)
      this.handleReady(this.raft!.ready());
  }

  private handleReady(rd: Ready): void {
    const storage = this.storage!;
    const env = this.env;
    // 1. Persist: snapshot, entries, hard state; sync when asked (snapshots always sync).
    if (rd.hardState !== undefined) {
      check(
        rd.hardState.term >= this.term,
        `node ${this.id}: term went back from ${this.term} to ${rd.hardState.term}`,
      );
      this.term = rd.hardState.term;
    }
    if (rd.snapshot !== undefined && rd.snapshot.metadata.index > 0) {
      storage.applySnapshot(rd.snapshot);
      this.disk.write({ kind: "install-snapshot", snapshot: rd.snapshot });
      this.disk.sync();
    }
    if (rd.entries.length > 0) {
      if (this.role === Role.Leader && this.leaderTerm === this.term) {
        check(
          rd.entries[0]!.index > storage.lastIndex(),
          `leader ${this.id} overwrote its log at ${rd.entries[0]!.index}`,
        );
      }
      storage.append(rd.entries);
      this.disk.write({ kind: "entries", entries: rd.entries });
    }
    if (rd.hardState !== undefined) {
      storage.setHardState(rd.hardState);
      this.disk.write({ kind: "hard-state", hardState: rd.hardState });
    }
    if (rd.mustSync) this.disk.sync();
    if (rd.softState !== undefined) this.handleSoftState(rd.softState.role, rd.softState.leader);
    // 2. Send.
    for (const m of rd.messages) env.send(m);
    // 3. Apply.
    if (rd.snapshot !== undefined && rd.snapshot.metadata.index > 0) this.applySnapshot(rd.snapshot);
    for (const e of rd.committedEntries) this.applyEntry(e);
    for (const rs of rd.readStates) {
      const read = this.pendingReads.get(new Reader(rs.requestCtx).uint());
      if (read !== undefined) read.index = rs.index;
    }
    // 4. Advance.
    this.raft!.advance(rd);
    this.serveReads();
  }

  private handleSoftState(role: Role, leader: NodeId): void {
    const wasLeader = this.role === Role.Leader;
    this.role = role;
    this.leader = leader;
    if (role !== Role.Leader) return;
    if (this.env.invariants.onLeader(this.id, this.term)) this.env.log(`n${this.id} leads term ${this.term}`);
    if (!wasLeader || this.leaderTerm !== this.term)
      this.env.invariants.onLeaderLog(this.id, this.term, this.storage!);
    this.leaderTerm = this.term;
  }

  private applySnapshot(snap: Snapshot): void {
    const { index, term, confState } = snap.metadata;
    check(index > this.applied, `node ${this.id} installed snapshot ${index} at applied ${this.applied}`);
    this.kv = KvStateMachine.restore(snap.data);
    this.applied = index;
    this.confState = confState;
    this.env.invariants.onSnapshot(this.id, index, term, this.kv.digest);
    this.env.onConfState(this.id, index, confState);
    this.env.log(`n${this.id} installs snapshot ${index}/${term}`);
  }

  private applyEntry(e: Entry): void {
    this.env.invariants.onApply(this.id, this.applied, e);
    this.applied = e.index;
    if (e.type === EntryType.ConfChange) {
      const cc = decodeConfChange(e.data);
      this.confState = this.raft!.applyConfChange(cc);
      this.env.onConfState(this.id, e.index, this.confState);
    } else if (e.data.length > 0) {
      const cmd = decodeCommand(e.data);
      const output = this.kv.apply(cmd);
      const key = `${cmd.client}:${cmd.seq}`;
      const waiting = this.pendingWrites.get(key);
      if (waiting !== undefined && output !== undefined) {
        this.pendingWrites.delete(key);
        this.env.reply({ client: cmd.client, seq: cmd.seq, kind: "done", output });
      }
    }
    this.env.invariants.onDigest(this.id, e.index, this.kv.digest);
  }

  private serveReads(): void {
    for (const [id, r] of this.pendingReads) {
      if (r.index === undefined || r.index > this.applied) continue;
      this.pendingReads.delete(id);
      this.env.reply({ client: r.req.client, seq: r.req.seq, kind: "done", output: this.read(r.req) });
    }
  }
}
