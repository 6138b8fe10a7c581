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
import { type FramedRecord, frameRecord, RecordType } from "./record-frame.ts";

export type WalRecord =
  | { readonly type: RecordType.Entry; readonly entry: Entry }
  | { readonly type: RecordType.HardState; readonly hardState: HardState }
  | { readonly type: RecordType.SnapshotMarker; readonly snapshot: SnapshotMetadata };

export function entryRecord(e: Entry, cipher?: RecordCipher): Buffer {
  const w = new Writer(e.data.length + 24);
  writeEntry(w, e);
  return frame(RecordType.Entry, w.finish(), cipher);
}

export function hardStateRecord(hs: HardState, cipher?: RecordCipher): Buffer {
  const w = new Writer(24);
  writeHardState(w, hs);
  return frame(RecordType.HardState, w.finish(), cipher);
}

export function snapshotMarkerRecord(m: SnapshotMetadata, cipher?: RecordCipher): Buffer {
  const w = new Writer(64);
  writeSnapshotMetadata(w, m);
  return frame(RecordType.SnapshotMarker, w.finish(), cipher);
}

/** With a cipher the record is sealed whole; without one it is written as it is. */
function frame(type: RecordType, payload: Uint8Array, cipher: RecordCipher | undefined): Buffer {
  if (!cipher) return frameRecord(type, payload);
  const inner = Buffer.allocUnsafe(1 + payload.length);
  inner[0] = type;
  inner.set(payload, 1);
  return frameRecord(RecordType.Sealed, cipher.seal(inner));
}

/** A sealed record opened with `cipher`; plain records pass through (a WAL may hold both). */
function unseal(rec: FramedRecord, cipher: RecordCipher | undefined): FramedRecord {
  if (rec.type !== RecordType.Sealed) return rec;
  if (!cipher) throw noKeyError(`the WAL record at byte ${rec.offset}`);
  const inner = cipher.open(rec.payload);
  const type = inner[0] as RecordType;
  if (type < RecordType.Entry || type >= RecordType.Sealed)
    throw new Error(`sealed record of unknown type ${type}`);
  return { type, payload: inner.subarray(1), offset: rec.offset };
}

/**
 * Decodes a record whose checksums passed. Throws RaftError("decode") if the payload is
 * malformed, which after a good checksum means a format mismatch, never a torn write.
 */
export function decodeRecord(framed: FramedRecord, cipher?: RecordCipher): WalRecord {
  const rec = unseal(framed, cipher);
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
