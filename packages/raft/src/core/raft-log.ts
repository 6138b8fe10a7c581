/**
 * The whole log as the core sees it: what the caller has persisted (Storage) followed by what it
 * has not yet (UnstableLog), with the commit and apply cursors.
 */
import { assert, RaftError } from "../errors.ts";
import type { Storage } from "../storage.ts";
import type { Entry, Snapshot } from "../types.ts";
import { limitSize } from "./entry-size.ts";
import { UnstableLog } from "./log-unstable.ts";

export class RaftLog {
  readonly storage: Storage;
  readonly unstable: UnstableLog;
  // Invariant: applied <= applying <= committed <= lastIndex(); committed never decreases.
  committed: number;
  /** Highest index handed to the caller to apply (in a Ready not yet advanced). */
  applying: number;
  applied: number;
  readonly maxApplyingBytes: number;

  constructor(storage: Storage, maxApplyingBytes: number) {
    this.storage = storage;
    this.maxApplyingBytes = maxApplyingBytes;
    const first = storage.firstIndex();
    this.unstable = new UnstableLog(storage.lastIndex() + 1);
    this.committed = first - 1;
    this.applying = first - 1;
    this.applied = first - 1;
  }

  firstIndex(): number {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  /** The term of entry i, or undefined when it is compacted or not in the log. */
  term(i: number): number | undefined {
    const dummy = this.firstIndex() - 1;
    if (i < dummy || i > this.lastIndex()) return undefined;
    const t = this.unstable.maybeTerm(i);
    if (t !== undefined) return t;
    try {
      return this.storage.term(i);
    } catch (err) {
      if (err instanceof RaftError && (err.code === "compacted" || err.code === "unavailable"))
        return undefined;
      throw err;
    }
  }

  termOrZero(i: number): number {
    return this.term(i) ?? 0;
  }

  lastTerm(): number {
    const t = this.term(this.lastIndex());
    assert(t !== undefined, `no term for the last index ${this.lastIndex()}`);
    return t;
  }

  matchTerm(i: number, t: number): boolean {
    const ours = this.term(i);
    return ours !== undefined && ours === t;
  }

  /** A candidate's log (lasti, term) is at least as up to date as ours (§5.4.1). */
  isUpToDate(lasti: number, term: number): boolean {
    const ourTerm = this.lastTerm();
    return term > ourTerm || (term === ourTerm && lasti >= this.lastIndex());
  }

  /**
   * Appends a leader's entries after (index, logTerm) if our log matches there; returns the index
   * of the last new entry, or undefined when the log does not match.
   */
  maybeAppend(index: number, logTerm: number, committed: number, ents: readonly Entry[]): number | undefined {
    if (!this.matchTerm(index, logTerm)) return undefined;
    const lastNew = index + ents.length;
    const ci = this.findConflict(ents);
    if (ci !== 0) {
      assert(ci > this.committed, `entry ${ci} conflicts with committed entry (committed ${this.committed})`);
      this.append(ents.slice(ci - (index + 1)));
    }
    this.commitTo(Math.min(committed, lastNew));
    return lastNew;
  }

  append(ents: readonly Entry[]): number {
    if (ents.length === 0) return this.lastIndex();
    const after = ents[0]!.index - 1;
    assert(after >= this.committed, `append after ${after} would overwrite committed ${this.committed}`);
    this.unstable.truncateAndAppend(ents);
    return this.lastIndex();
  }

  /** The first entry whose term differs from ours (or that we lack); 0 when all match. */
  findConflict(ents: readonly Entry[]): number {
    for (const e of ents) if (!this.matchTerm(e.index, e.term)) return e.index;
    return 0;
  }

  /**
   * The largest index <= `index` whose term is <= `term`, with that term: where a leader with a
   * log ending in `term` should probe next (fast backtracking).
   */
  findConflictByTerm(index: number, term: number): [number, number] {
    for (let i = index; i > 0; i--) {
      const ours = this.term(i);
      if (ours === undefined) return [i, 0];
      if (ours <= term) return [i, ours];
    }
    return [0, 0];
  }

  hasPendingSnapshot(): boolean {
    return this.unstable.snapshot !== undefined;
  }

  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  /** Committed entries not yet handed out, at most maxApplyingBytes (at least one). */
  nextCommittedEnts(): Entry[] {
    if (!this.hasNextCommittedEnts()) return [];
    const lo = Math.max(this.applying + 1, this.firstIndex());
    return this.slice(lo, this.committed + 1, this.maxApplyingBytes);
  }

  hasNextCommittedEnts(): boolean {
    if (this.hasPendingSnapshot()) return false;
    return Math.max(this.applying + 1, this.firstIndex()) <= this.committed;
  }

  commitTo(toCommit: number): void {
    if (this.committed >= toCommit) return;
    assert(toCommit <= this.lastIndex(), `commit ${toCommit} is beyond the last index ${this.lastIndex()}`);
    this.committed = toCommit;
  }

  /** Commits maxIndex if its entry is of `term`: a leader counts replicas only for its own term. */
  maybeCommit(maxIndex: number, term: number): boolean {
    if (maxIndex > this.committed && this.termOrZero(maxIndex) === term) {
      this.commitTo(maxIndex);
      return true;
    }
    return false;
  }

  acceptApplying(i: number): void {
    assert(i <= this.committed, `applying ${i} beyond commit ${this.committed}`);
    this.applying = Math.max(this.applying, i);
  }

  appliedTo(i: number): void {
    if (i === 0) return;
    assert(
      i <= this.committed && i >= this.applied,
      `applied ${i} out of [${this.applied}, ${this.committed}]`,
    );
    this.applied = i;
    this.applying = Math.max(this.applying, i);
  }

  stableTo(i: number, t: number): void {
    this.unstable.stableTo(i, t);
  }

  stableSnapTo(i: number): void {
    this.unstable.stableSnapTo(i);
  }

  restore(s: Snapshot): void {
    assert(s.metadata.index >= this.committed, "a snapshot never moves commit backwards");
    this.committed = s.metadata.index;
    this.unstable.restore(s);
  }

  /** Entries from i to the end, at most maxBytes (at least one). Throws "compacted" below firstIndex. */
  entries(i: number, maxBytes: number): Entry[] {
    if (i > this.lastIndex()) return [];
    return this.slice(i, this.lastIndex() + 1, maxBytes);
  }

  /** Entries [lo, hi), at most maxBytes (at least one). */
  slice(lo: number, hi: number, maxBytes: number): Entry[] {
    assert(lo <= hi, `invalid slice ${lo} > ${hi}`);
    const first = this.firstIndex();
    if (lo < first) throw new RaftError("compacted", `entry ${lo} is compacted (first is ${first})`);
    assert(hi <= this.lastIndex() + 1, `slice [${lo},${hi}) beyond the last index ${this.lastIndex()}`);
    if (lo === hi) return [];
    let ents: Entry[] = [];
    const off = this.unstable.offset;
    if (lo < off) {
      const upper = Math.min(hi, off);
      const stored = this.storage.entries(lo, upper, maxBytes);
      if (stored.length < upper - lo) return stored;
      ents = stored;
    }
    if (hi > off) {
      const unst = this.unstable.slice(Math.max(lo, off), hi);
      ents = ents.length > 0 ? [...ents, ...unst] : unst;
    }
    return limitSize(ents, maxBytes);
  }
}
