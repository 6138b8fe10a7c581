/**
 * The tail of the log not yet persisted by the caller: new entries and perhaps a snapshot from the
 * leader. Ready hands it out; advance() marks it stable.
 */
import { assert } from "../errors.ts";
import type { Entry, Snapshot } from "../types.ts";

export class UnstableLog {
  snapshot: Snapshot | undefined = undefined;
  // Invariant: entries[i].index === offset + i.
  entries: Entry[] = [];
  offset: number;

  constructor(offset: number) {
    this.offset = offset;
  }

  maybeFirstIndex(): number | undefined {
    return this.snapshot ? this.snapshot.metadata.index + 1 : undefined;
  }

  maybeLastIndex(): number | undefined {
    if (this.entries.length > 0) return this.offset + this.entries.length - 1;
    return this.snapshot?.metadata.index;
  }

  maybeTerm(i: number): number | undefined {
    if (i < this.offset) {
      return this.snapshot && this.snapshot.metadata.index === i ? this.snapshot.metadata.term : undefined;
    }
    const last = this.maybeLastIndex();
    if (last === undefined || i > last) return undefined;
    return this.entries[i - this.offset]?.term;
  }

  /** The caller persisted entries up to (i, t): drop them from here. */
  stableTo(i: number, t: number): void {
    const gt = this.maybeTerm(i);
    if (gt === undefined || gt !== t || i < this.offset) return;
    this.entries = this.entries.slice(i + 1 - this.offset);
    this.offset = i + 1;
  }

  stableSnapTo(i: number): void {
    if (this.snapshot && this.snapshot.metadata.index === i) this.snapshot = undefined;
  }

  restore(s: Snapshot): void {
    this.offset = s.metadata.index + 1;
    this.entries = [];
    this.snapshot = s;
  }

  truncateAndAppend(ents: readonly Entry[]): void {
    const from = ents[0]!.index;
    if (from === this.offset + this.entries.length) {
      this.entries = [...this.entries, ...ents];
    } else if (from <= this.offset) {
      this.offset = from;
      this.entries = [...ents];
    } else {
      this.entries = [...this.entries.slice(0, from - this.offset), ...ents];
    }
  }

  slice(lo: number, hi: number): Entry[] {
    assert(lo <= hi, `invalid unstable slice ${lo} > ${hi}`);
    const upper = this.offset + this.entries.length;
    assert(lo >= this.offset && hi <= upper, `unstable slice [${lo},${hi}) out of [${this.offset},${upper}]`);
    return this.entries.slice(lo - this.offset, hi - this.offset);
  }
}
