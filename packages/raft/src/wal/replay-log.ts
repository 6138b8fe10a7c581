/**
 * Rebuilds the log from WAL records in write order. Later records win: an entry whose index is at
 * or below the last one replaces that suffix (a new leader overwrote it). A snapshot marker whose
 * index and term match an entry in the log is a compaction and keeps the log; any other marker is
 * an installed snapshot and, as in Raft, replaces the whole log.
 */
import { EMPTY_HARD_STATE, type Entry, type HardState, type SnapshotMetadata } from "../types.ts";
import type { LocatedRecord } from "./read-segments.ts";
import { RecordType } from "./record-frame.ts";

export interface ReplayedLog {
  /** Contiguous entries, ascending. */
  readonly entries: Entry[];
  readonly hardState: HardState;
  /** Every snapshot marker found, in write order. */
  readonly markers: SnapshotMetadata[];
}

export function replayLog(records: readonly LocatedRecord[]): ReplayedLog {
  let entries: Entry[] = [];
  let hardState = EMPTY_HARD_STATE;
  const markers: SnapshotMetadata[] = [];
  for (const { record } of records) {
    switch (record.type) {
      case RecordType.Entry:
        entries = appendEntry(entries, record.entry);
        break;
      case RecordType.HardState:
        hardState = record.hardState;
        break;
      case RecordType.SnapshotMarker:
        markers.push(record.snapshot);
        entries = applyMarker(entries, record.snapshot);
        break;
    }
  }
  return { entries, hardState, markers };
}

function appendEntry(entries: Entry[], e: Entry): Entry[] {
  const first = entries[0]?.index;
  if (first === undefined || e.index < first || e.index > first + entries.length) {
    // Empty log, or a jump: start afresh. A jump not covered by a snapshot is caught later as
    // missing entries.
    return [e];
  }
  entries.length = e.index - first; // drop the overwritten suffix (a no-op for the next index)
  entries.push(e);
  return entries;
}

function applyMarker(entries: Entry[], m: SnapshotMetadata): Entry[] {
  const first = entries[0]?.index;
  if (first === undefined || m.index < first) return entries;
  const at = entries[m.index - first];
  return at !== undefined && at.term === m.term ? entries : [];
}
