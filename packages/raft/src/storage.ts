import type { ConfState, Entry, HardState, Snapshot } from "./types.ts";

/**
 * What the Raft core reads of its own log. The core never writes here: the caller appends the
 * entries of each Ready (after persisting them) and installs snapshots. MemoryStorage is the
 * implementation every node uses; the WAL fills it at start-up.
 *
 * Errors are RaftError with code "compacted" (index below firstIndex()) or "unavailable"
 * (index above lastIndex()).
 */
export interface Storage {
  initialState(): { hardState: HardState; confState: ConfState };
  /** Entries [lo, hi), at most maxBytes of data in total but always at least one entry. */
  entries(lo: number, hi: number, maxBytes: number): Entry[];
  /** The term of entry i; valid for firstIndex()-1 .. lastIndex(). */
  term(i: number): number;
  /** Index of the last entry (the snapshot's index when the log is empty). */
  lastIndex(): number;
  /** Index of the first entry still kept (snapshot index + 1). */
  firstIndex(): number;
  /** The latest snapshot (may throw "snapshot-temporarily-unavailable"). */
  snapshot(): Snapshot;
}
