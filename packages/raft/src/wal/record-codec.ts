/** The typed payloads of WAL records, encoded with ../codec.ts. */
import {
  Reader,
  readEntry,
  readHardState,
  readSnapshotMetadata,
  Writer,
  writeEntry,
  writeHardState,
  writeSnapshotMetadata,
} from "../codec.ts";
import type { Entry, HardState, SnapshotMetadata } from "../types.ts";
import { type FramedRecord, frameRecord, RecordType } from "./record-frame.ts";

export type WalRecord =
  | { readonly type: RecordType.Entry; readonly entry: Entry }
  | { readonly type: RecordType.HardState; readonly hardState: HardState }
  | { readonly type: RecordType.SnapshotMarker; readonly snapshot: SnapshotMetadata };

export function entryRecord(e: Entry): Buffer {
  const w = new Writer(e.data.length + 24);
  writeEntry(w, e);
  return frameRecord(RecordType.Entry, w.finish());
}

export function hardStateRecord(hs: HardState): Buffer {
  const w = new Writer(24);
  writeHardState(w, hs);
  return frameRecord(RecordType.HardState, w.finish());
}

export function snapshotMarkerRecord(m: SnapshotMetadata): Buffer {
  const w = new Writer(64);
  writeSnapshotMetadata(w, m);
  return frameRecord(RecordType.SnapshotMarker, w.finish());
}

/**
 * Decodes a record whose checksums passed. Throws RaftError("decode") if the payload is
 * malformed, which after a good checksum means a format mismatch, never a torn write.
 */
export function decodeRecord(rec: FramedRecord): WalRecord {
  const r = new Reader(rec.payload);
  let out: WalRecord;
  switch (rec.type) {
    case RecordType.Entry:
      // Copy: the payload is a view into the whole segment's buffer.
      out = { type: rec.type, entry: copyData(readEntry(r)) };
      break;
    case RecordType.HardState:
      out = { type: rec.type, hardState: readHardState(r) };
      break;
    case RecordType.SnapshotMarker:
      out = { type: rec.type, snapshot: readSnapshotMetadata(r) };
      break;
  }
  r.end();
  return out;
}

function copyData(e: Entry): Entry {
  return { ...e, data: new Uint8Array(e.data) };
}
