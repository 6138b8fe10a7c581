/**
 * Binary encoding of Raft's data for the WAL and the transports. Numbers are unsigned varints
 * (safe up to 2^53); byte strings are length-prefixed. Decoding validates every field and throws
 * RaftError("decode") on malformed input, so a bad peer can never crash a node.
 */
import { RaftError } from "./errors.ts";
import {
  type ConfChange,
  type ConfChangeSingle,
  ConfChangeType,
  type ConfState,
  type Entry,
  EntryType,
  type HardState,
  type Message,
  MessageType,
  type Snapshot,
  type SnapshotMetadata,
} from "./types.ts";

const EMPTY = new Uint8Array(0);

export class Writer {
  private buf: Uint8Array;
  private pos = 0;
  constructor(initialBytes = 256) {
    this.buf = new Uint8Array(initialBytes);
  }
  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
  uint(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`not an unsigned safe integer: ${v}`);
    this.reserve(8);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
    return this;
  }
  bool(v: boolean): this {
    return this.uint(v ? 1 : 0);
  }
  bytes(v: Uint8Array): this {
    this.uint(v.length);
    this.reserve(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
    return this;
  }
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

export class Reader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  private fail(what: string): never {
    throw new RaftError("decode", `malformed raft data at byte ${this.pos}: ${what}`);
  }
  uint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.buf.length) this.fail("truncated number");
      const b = this.buf[this.pos++] as number;
      result += (b & 0x7f) * mul;
      if (b < 0x80) {
        if (!Number.isSafeInteger(result)) this.fail("number out of range");
        return result;
      }
      mul *= 0x80;
    }
    return this.fail("number too long");
  }
  bool(): boolean {
    const v = this.uint();
    if (v > 1) this.fail("bad boolean");
    return v === 1;
  }
  bytes(): Uint8Array {
    const n = this.uint();
    if (n > this.buf.length - this.pos) this.fail(`byte string of ${n} overruns the buffer`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  enumValue<T extends number>(max: number, what: string): T {
    const v = this.uint();
    if (v > max) this.fail(`bad ${what} ${v}`);
    return v as T;
  }
  count(what: string): number {
    const n = this.uint();
    // Every element takes at least one byte, so a count beyond the remaining bytes is a lie.
    if (n > this.buf.length - this.pos) this.fail(`${what} count ${n} overruns the buffer`);
    return n;
  }
  end(): void {
    if (this.pos !== this.buf.length) this.fail(`${this.buf.length - this.pos} trailing bytes`);
  }
}

export function writeEntry(w: Writer, e: Entry): void {
  w.uint(e.term).uint(e.index).uint(e.type).bytes(e.data);
}
export function readEntry(r: Reader): Entry {
  const term = r.uint();
  const index = r.uint();
  const type = r.enumValue<EntryType>(EntryType.ConfChange, "entry type");
  const data = r.bytes();
  return { term, index, type, data };
}

export function writeHardState(w: Writer, hs: HardState): void {
  w.uint(hs.term).uint(hs.vote).uint(hs.commit);
}
export function readHardState(r: Reader): HardState {
  return { term: r.uint(), vote: r.uint(), commit: r.uint() };
}

function writeIds(w: Writer, ids: readonly number[]): void {
  w.uint(ids.length);
  for (const id of ids) w.uint(id);
}
function readIds(r: Reader): number[] {
  const n = r.count("id");
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(r.uint());
  return out;
}

export function writeConfState(w: Writer, cs: ConfState): void {
  writeIds(w, cs.voters);
  writeIds(w, cs.learners);
  writeIds(w, cs.votersOutgoing);
  writeIds(w, cs.learnersNext);
  w.bool(cs.autoLeave);
}
export function readConfState(r: Reader): ConfState {
  return {
    voters: readIds(r),
    learners: readIds(r),
    votersOutgoing: readIds(r),
    learnersNext: readIds(r),
    autoLeave: r.bool(),
  };
}

export function writeSnapshotMetadata(w: Writer, m: SnapshotMetadata): void {
  w.uint(m.index).uint(m.term);
  writeConfState(w, m.confState);
}
export function readSnapshotMetadata(r: Reader): SnapshotMetadata {
  return { index: r.uint(), term: r.uint(), confState: readConfState(r) };
}

export function writeSnapshot(w: Writer, s: Snapshot): void {
  writeSnapshotMetadata(w, s.metadata);
  w.bytes(s.data);
}
export function readSnapshot(r: Reader): Snapshot {
  return { metadata: readSnapshotMetadata(r), data: r.bytes() };
}

export function writeMessage(w: Writer, m: Message): void {
  w.uint(m.type).uint(m.from).uint(m.to).uint(m.term).uint(m.logTerm).uint(m.index);
  w.uint(m.entries.length);
  for (const e of m.entries) writeEntry(w, e);
  w.uint(m.commit);
  w.bool(m.snapshot !== undefined);
  if (m.snapshot) writeSnapshot(w, m.snapshot);
  w.bool(m.reject).uint(m.rejectHint).bytes(m.context);
}
export function readMessage(r: Reader): Message {
  const type = r.enumValue<MessageType>(MessageType.CheckQuorum, "message type");
  const from = r.uint();
  const to = r.uint();
  const term = r.uint();
  const logTerm = r.uint();
  const index = r.uint();
  const n = r.count("entry");
  const entries: Entry[] = [];
  for (let i = 0; i < n; i++) entries.push(readEntry(r));
  const commit = r.uint();
  const snapshot = r.bool() ? readSnapshot(r) : undefined;
  const reject = r.bool();
  const rejectHint = r.uint();
  const context = r.bytes();
  const base = { type, from, to, term, logTerm, index, entries, commit, reject, rejectHint, context };
  return snapshot ? { ...base, snapshot } : base;
}

export function encodeMessage(m: Message): Uint8Array {
  const w = new Writer(64 + m.entries.reduce((n, e) => n + e.data.length + 16, 0));
  writeMessage(w, m);
  return w.finish();
}
export function decodeMessage(bytes: Uint8Array): Message {
  const r = new Reader(bytes);
  const m = readMessage(r);
  r.end();
  return m;
}

export function encodeConfChange(cc: ConfChange): Uint8Array {
  const w = new Writer(32);
  w.uint(cc.transition === "auto" ? 0 : cc.transition === "implicit" ? 1 : 2);
  w.uint(cc.changes.length);
  for (const c of cc.changes) w.uint(c.type).uint(c.nodeId);
  w.bytes(cc.context);
  return w.finish();
}
export function decodeConfChange(bytes: Uint8Array): ConfChange {
  const r = new Reader(bytes);
  const t = r.enumValue<number>(2, "conf change transition");
  const n = r.count("conf change");
  const changes: ConfChangeSingle[] = [];
  for (let i = 0; i < n; i++) {
    const type = r.enumValue<ConfChangeType>(ConfChangeType.AddLearner, "conf change type");
    changes.push({ type, nodeId: r.uint() });
  }
  const context = r.bytes();
  r.end();
  return { transition: t === 0 ? "auto" : t === 1 ? "implicit" : "explicit", changes, context };
}

/** A message with every optional field at its zero value; fill in what matters. */
export function message(fields: Partial<Message> & Pick<Message, "type">): Message {
  return {
    from: 0,
    to: 0,
    term: 0,
    logTerm: 0,
    index: 0,
    entries: [],
    commit: 0,
    reject: false,
    rejectHint: 0,
    context: EMPTY,
    ...fields,
  };
}
