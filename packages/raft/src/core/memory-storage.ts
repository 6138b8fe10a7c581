/**
 * An in-memory Storage: the log every node reads. The caller writes it — entries, hard state and
 * snapshots from each Ready — and compacts it after taking a snapshot of its state machine.
 */
import { assert, RaftError } from "../errors.ts";
import type { Storage } from "../storage.ts";
import {
  type ConfState,
  EMPTY_HARD_STATE,
  type Entry,
  EntryType,
  type HardState,
  type Snapshot,
} from "../types.ts";
import { limitSize } from "./entry-size.ts";

export const EMPTY_CONF_STATE: ConfState = Object.freeze({
  voters: [],
  learners: [],
  votersOutgoing: [],
  learnersNext: [],
  autoLeave: false,
});

const EMPTY = new Uint8Array(0);

export class MemoryStorage implements Storage {
  private hardState: HardState = EMPTY_HARD_STATE;
  private snap: Snapshot = { metadata: { index: 0, term: 0, confState: EMPTY_CONF_STATE }, data: EMPTY };
  // Invariant: ents[0] is a placeholder carrying the snapshot's index and term;
  // ents[i].index === ents[0].index + i.
  private ents: Entry[] = [{ term: 0, index: 0, type: EntryType.Normal, data: EMPTY }];

  initialState(): { hardState: HardState; confState: ConfState } {
    return { hardState: this.hardState, confState: this.snap.metadata.confState };
  }

  setHardState(hs: HardState): void {
    this.hardState = hs;
  }

  private offset(): number {
    return this.ents[0]!.index;
  }

  entries(lo: number, hi: number, maxBytes: number): Entry[] {
    const offset = this.offset();
    if (lo <= offset) throw new RaftError("compacted", `entry ${lo} is compacted (first is ${offset + 1})`);
    if (hi > this.lastIndex() + 1) {
      throw new RaftError(
        "unavailable",
        `entries up to ${hi - 1} are not stored (last is ${this.lastIndex()})`,
      );
    }
    return limitSize(this.ents.slice(lo - offset, hi - offset), maxBytes);
  }

  term(i: number): number {
    const offset = this.offset();
    if (i < offset) throw new RaftError("compacted", `term of ${i} is compacted (first is ${offset + 1})`);
    const e = this.ents[i - offset];
    if (e === undefined) throw new RaftError("unavailable", `entry ${i} is not stored`);
    return e.term;
  }

  lastIndex(): number {
    return this.offset() + this.ents.length - 1;
  }

  firstIndex(): number {
    return this.offset() + 1;
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  /** Replaces the whole log with a snapshot (a follower installing one from its leader). */
  applySnapshot(snap: Snapshot): void {
    const { index, term } = snap.metadata;
    if (index <= this.snap.metadata.index) {
      throw new RaftError(
        "snapshot-out-of-date",
        `snapshot ${index} is not newer than ${this.snap.metadata.index}`,
      );
    }
    this.snap = snap;
    this.ents = [{ term, index, type: EntryType.Normal, data: EMPTY }];
  }

  /** Records a snapshot of the state machine at `index` (which must be applied); returns it. */
  createSnapshot(index: number, confState: ConfState, data: Uint8Array): Snapshot {
    if (index <= this.snap.metadata.index) {
      throw new RaftError(
        "snapshot-out-of-date",
        `snapshot ${index} is not newer than ${this.snap.metadata.index}`,
      );
    }
    assert(index <= this.lastIndex(), `snapshot ${index} is beyond the last index ${this.lastIndex()}`);
    const term = this.ents[index - this.offset()]!.term;
    this.snap = { metadata: { index, term, confState }, data };
    return this.snap;
  }

  /** Drops the entries before `compactIndex`; that entry becomes the placeholder. */
  compact(compactIndex: number): void {
    const offset = this.offset();
    if (compactIndex <= offset) throw new RaftError("compacted", `${compactIndex} is already compacted`);
    assert(
      compactIndex <= this.lastIndex(),
      `compact ${compactIndex} is beyond the last index ${this.lastIndex()}`,
    );
    const i = compactIndex - offset;
    const head = this.ents[i]!;
    this.ents = [
      { term: head.term, index: head.index, type: EntryType.Normal, data: EMPTY },
      ...this.ents.slice(i + 1),
    ];
  }

  /** Appends entries, replacing any stored entries from the first new index on. */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const first = this.firstIndex();
    const last = entries[0]!.index + entries.length - 1;
    if (last < first) return; // all already compacted
    let ents = entries;
    if (first > ents[0]!.index) ents = ents.slice(first - ents[0]!.index);
    const offset = ents[0]!.index - this.offset();
    assert(
      offset <= this.ents.length,
      `missing log entries: last ${this.lastIndex()}, appending at ${ents[0]!.index}`,
    );
    // In place: truncate any conflicting suffix, then push. Copying the whole log here made every
    // append O(log length), which dominated throughput with long logs between snapshots.
    this.ents.length = offset;
    for (const e of ents) this.ents.push(e);
  }
}
