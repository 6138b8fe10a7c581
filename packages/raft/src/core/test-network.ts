/**
 * TEST HELPER (not part of the public API): a synchronous in-memory network of RawNodes for unit
 * tests. It executes every Ready exactly as a real caller must (persist, send, apply, advance),
 * delivers messages in FIFO order, and can cut links, isolate nodes, ignore message types and
 * drop messages at random (seeded). Invariants are checked after every Ready.
 */

import { decodeConfChange } from "../codec.ts";
import { type Config, DEFAULT_CONFIG } from "../config.ts";
import { RaftError } from "../errors.ts";
import {
  type ConfState,
  type Entry,
  EntryType,
  type Logger,
  type Message,
  MessageType,
  type NodeId,
  type ReadState,
  type Rng,
  SnapshotStatus,
} from "../types.ts";
import { checkInvariants } from "./invariants.ts";
import { EMPTY_CONF_STATE, MemoryStorage } from "./memory-storage.ts";
import { RawNode } from "./raw-node.ts";

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** A small seeded generator (mulberry32), so every test run is the same. */
export function seededRng(seed: number): Rng & { next(): number } {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, intn: (n: number) => Math.floor(next() * n) };
}

export function testConfig(id: NodeId, storage: MemoryStorage, overrides: Partial<Config> = {}): Config {
  return {
    ...DEFAULT_CONFIG,
    id,
    storage,
    electionTick: 10,
    heartbeatTick: 1,
    rng: seededRng(id * 7919),
    logger: silentLogger,
    ...overrides,
  };
}

export interface TestMember {
  readonly id: NodeId;
  node: RawNode;
  storage: MemoryStorage;
  /** Every committed entry this member applied, in order (including empty and ConfChange ones). */
  applied: Entry[];
  appliedIndex: number;
  readStates: ReadState[];
  confState: ConfState;
  /** Snapshots this member installed. */
  snapshotsApplied: number;
}

const textEncoder = new TextEncoder();
/** The RaftError code `f` throws, or undefined when it returns; other errors propagate. */
export function raftErrorCode(f: () => void): string | undefined {
  try {
    f();
  } catch (err) {
    if (err instanceof RaftError) return err.code;
    throw err;
  }
  return undefined;
}

export const bytes = (s: string): Uint8Array => textEncoder.encode(s);
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);

export class TestNetwork {
  readonly members = new Map<NodeId, TestMember>();
  private queue: Message[] = [];
  private readonly cutLinks = new Set<string>();
  private readonly isolated = new Set<NodeId>();
  private readonly ignored = new Set<MessageType>();
  private dropRate = 0;
  private duplicateRate = 0;
  private reorder = false;
  private rng = seededRng(42);
  /** Every message delivered (for assertions on traffic). */
  readonly delivered: Message[] = [];

  /** A fresh cluster whose voters are `ids`, all built with `overrides`. */
  constructor(ids: readonly NodeId[], overrides: Partial<Config> | ((id: NodeId) => Partial<Config>) = {}) {
    for (const id of ids) {
      const o = typeof overrides === "function" ? overrides(id) : overrides;
      this.add(id, ids, o);
    }
    this.settle();
  }

  /** Adds a member: a bootstrapping one (peers given) or an empty one waiting to be added by a leader. */
  add(id: NodeId, peers: readonly NodeId[] = [], overrides: Partial<Config> = {}): TestMember {
    const storage = new MemoryStorage();
    const node = new RawNode(testConfig(id, storage, overrides), peers.length > 0 ? peers : undefined);
    const member: TestMember = {
      id,
      node,
      storage,
      applied: [],
      appliedIndex: 0,
      readStates: [],
      confState: EMPTY_CONF_STATE,
      snapshotsApplied: 0,
    };
    this.members.set(id, member);
    return member;
  }

  member(id: NodeId): TestMember {
    const m = this.members.get(id);
    if (!m) throw new Error(`no member ${id}`);
    return m;
  }

  node(id: NodeId): RawNode {
    return this.member(id).node;
  }

  /**
   * Restarts a member from its storage (what survived a crash: everything persisted). Its state
   * machine restarts from the stored snapshot; committed entries after it are applied again.
   */
  restart(id: NodeId, overrides: Partial<Config> = {}): void {
    const m = this.member(id);
    const snap = m.storage.snapshot().metadata;
    m.node = new RawNode(testConfig(id, m.storage, { applied: snap.index, ...overrides }));
    m.applied = [];
    m.appliedIndex = snap.index;
    m.confState = snap.confState;
    this.processReady(m);
  }

  /** The leader of the highest term any member leads (a deposed leader may not know it yet). */
  leaderId(): NodeId | undefined {
    let best: { id: NodeId; term: number } | undefined;
    for (const [id, m] of this.members) {
      const st = m.node.status();
      if (st.lead === id && (best === undefined || st.term > best.term)) best = { id, term: st.term };
    }
    return best?.id;
  }

  cut(a: NodeId, b: NodeId): void {
    this.cutLinks.add(`${a}-${b}`);
    this.cutLinks.add(`${b}-${a}`);
  }

  isolate(id: NodeId): void {
    this.isolated.add(id);
  }

  ignore(t: MessageType): void {
    this.ignored.add(t);
  }

  /** Drops each message with probability `rate` (seeded). */
  setDropRate(rate: number, seed = 42): void {
    this.dropRate = rate;
    this.rng = seededRng(seed);
  }

  /** Delivers queued messages in random order and re-delivers each with probability `duplicateRate`. */
  setChaos(reorder: boolean, duplicateRate: number): void {
    this.reorder = reorder;
    this.duplicateRate = duplicateRate;
  }

  recover(): void {
    this.cutLinks.clear();
    this.isolated.clear();
    this.ignored.clear();
    this.dropRate = 0;
    this.reorder = false;
    this.duplicateRate = 0;
  }

  private blocked(m: Message): boolean {
    if (this.isolated.has(m.from) || this.isolated.has(m.to)) return true;
    if (this.cutLinks.has(`${m.from}-${m.to}`) || this.ignored.has(m.type)) return true;
    return this.dropRate > 0 && this.rng.next() < this.dropRate;
  }

  /** Executes every pending Ready of one member, as a real caller does. */
  processReady(m: TestMember): void {
    while (m.node.hasReady()) {
      const rd = m.node.ready();
      // 1. persist
      if (rd.snapshot) {
        m.storage.applySnapshot(rd.snapshot);
        m.confState = rd.snapshot.metadata.confState;
        m.appliedIndex = rd.snapshot.metadata.index;
        m.snapshotsApplied++;
      }
      m.storage.append(rd.entries);
      if (rd.hardState) m.storage.setHardState(rd.hardState);
      // 2. send
      this.queue.push(...rd.messages);
      // 3. apply
      for (const e of rd.committedEntries) {
        if (e.type === EntryType.ConfChange) m.confState = m.node.applyConfChange(decodeConfChange(e.data));
        m.applied.push(e);
        m.appliedIndex = e.index;
      }
      m.readStates.push(...rd.readStates);
      // 4. advance
      m.node.advance(rd);
      checkInvariants(m.node);
    }
  }

  /** Delivers one message (unless blocked); a snapshot's delivery is reported back to its sender. */
  deliver(msg: Message): void {
    const to = this.members.get(msg.to);
    const blocked = this.blocked(msg) || to === undefined;
    if (msg.type === MessageType.Snap) {
      const from = this.members.get(msg.from);
      from?.node.reportSnapshot(msg.to, blocked ? SnapshotStatus.Failure : SnapshotStatus.Finish);
    }
    if (blocked || !to) return;
    this.delivered.push(msg);
    to.node.step(msg);
  }

  /** Runs every Ready and delivers every message until the network is quiet. */
  settle(maxMessages = 200_000): void {
    for (let n = 0; ; n++) {
      if (n > maxMessages) throw new Error("test network did not settle");
      for (const m of this.members.values()) this.processReady(m);
      if (this.queue.length === 0) return;
      const at = this.reorder ? this.rng.intn(this.queue.length) : 0;
      const msg = this.queue.splice(at, 1)[0]!;
      if (this.duplicateRate > 0 && this.rng.next() < this.duplicateRate) this.queue.push(msg);
      this.deliver(msg);
    }
  }

  /** Executes pending Readies and returns (and removes) the queued messages without delivering them. */
  drain(): Message[] {
    for (const m of this.members.values()) this.processReady(m);
    const out = this.queue;
    this.queue = [];
    return out;
  }

  /** Sends a message from outside (e.g. a local Hup expressed as a campaign) then settles. */
  send(msg: Message): void {
    this.queue.push(msg);
    this.settle();
  }

  /** Ticks every live member `n` times, settling after each tick. */
  tick(n = 1, ids: readonly NodeId[] = [...this.members.keys()]): void {
    for (let i = 0; i < n; i++) {
      for (const id of ids) this.node(id).tick();
      this.settle();
    }
  }

  campaign(id: NodeId): void {
    this.node(id).campaign();
    this.settle();
  }

  propose(id: NodeId, data: string | Uint8Array): void {
    this.node(id).propose(typeof data === "string" ? bytes(data) : data);
    this.settle();
  }

  /** The normal (non-empty) commands a member applied, as strings. */
  commands(id: NodeId): string[] {
    return this.member(id)
      .applied.filter((e) => e.type === EntryType.Normal && e.data.length > 0)
      .map((e) => text(e.data));
  }

  /** Takes a snapshot at the member's applied index and compacts its log up to it. */
  snapshotAndCompact(id: NodeId, data = bytes(`snap-${id}`)): void {
    const m = this.member(id);
    m.storage.createSnapshot(m.appliedIndex, m.confState, data);
    m.storage.compact(m.appliedIndex);
  }
}
