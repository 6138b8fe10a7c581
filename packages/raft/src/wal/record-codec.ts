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
import { noKeyError, type RecordCipher } from "./record-cipher.ts";
import { type FramedRecord, frameRecord, RecordType, scanRecords } from "./record-frame.ts";

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
 * The records of one write, sealed together when there is a cipher: one `Sealed` record whose
 * payload is the sealed concatenation of the plain frames (one seal per save, not per entry; the
 * batch is written, and so survives a crash, whole or not at all). Without a cipher, as they are.
 */
export function sealRecords(frames: readonly Buffer[], cipher: RecordCipher | undefined): Buffer[] {
  if (!cipher || frames.length === 0) return [...frames];
  return [frameRecord(RecordType.Sealed, cipher.seal(Buffer.concat(frames)))];
}

/**
 * Decodes a record whose checksums passed: one record, or the records of a sealed batch (opened
 * with `cipher`; RaftError("wal-locked") without it or with another key). Throws if the payload
 * is malformed, which after a good checksum means a format mismatch, never a torn write.
 */
export function decodeRecords(framed: FramedRecord, cipher?: RecordCipher): WalRecord[] {
  if (framed.type !== RecordType.Sealed) return [decodeRecord(framed)];
  if (!cipher) throw noKeyError(`the WAL record at byte ${framed.offset}`);
  const inner = Buffer.from(cipher.open(framed.payload));
  const scan = scanRecords(inner);
  if (scan.problem) {
    throw new Error(`sealed batch is malformed at byte ${scan.problem.offset}: ${scan.problem.reason}`);
  }
  return scan.records.map((rec) => {
    if (rec.type === RecordType.Sealed) throw new Error("a sealed batch holds another sealed batch");
    return decodeRecord({ ...rec, offset: framed.offset });
  });
}

function decodeRecord(rec: FramedRecord): WalRecord {
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
    default:
      throw new Error(`record of unknown type ${rec.type}`);
  }
  r.end();
  return out;
}

function copyData(e: Entry): Entry {
  return { ...e, data: new Uint8Array(e.data) };
}
