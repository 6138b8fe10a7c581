/**
 * The framing of one WAL record. Little-endian:
 *
 *   offset 0  u32  bodyBytes   length of the body (type byte + payload)
 *   offset 4  u32  bodyCrc     CRC-32 of the body
 *   offset 8  u32  headerCrc   CRC-32 of bytes 0..8, so a damaged length is never believed
 *   offset 12 u8   type        RecordType
 *   offset 13 ...  payload     encoded with ../codec.ts
 *
 * The header checksum lets a reader tell a torn tail (nothing valid after the damage) from
 * corruption (valid records after it) by searching forward cheaply.
 */
import { crc32 } from "node:zlib";
import { RECORD_BYTES_MAX } from "./options.ts";

export const HEADER_BYTES = 12;

export enum RecordType {
  Entry = 1,
  HardState = 2,
  SnapshotMarker = 3,
  /** Records of the kinds above, encrypted together: the payload is RecordCipher.seal(their frames). */
  Sealed = 4,
}
const RECORD_TYPE_MAX = RecordType.Sealed;

export interface FramedRecord {
  readonly type: RecordType;
  readonly payload: Uint8Array;
  /** Byte offset of the record's header in its segment. */
  readonly offset: number;
}

export interface ScanProblem {
  readonly offset: number;
  readonly reason: string;
}

export interface ScanResult {
  readonly records: FramedRecord[];
  /** Bytes from the start that hold whole, valid records. */
  readonly validBytes: number;
  /** The first damaged spot, if any; scanning stops there. */
  readonly problem?: ScanProblem;
}

export function frameRecord(type: RecordType, payload: Uint8Array): Buffer {
  const bodyBytes = 1 + payload.length;
  if (bodyBytes > RECORD_BYTES_MAX)
    throw new RangeError(`WAL record of ${bodyBytes} bytes is over ${RECORD_BYTES_MAX}`);
  const buf = Buffer.allocUnsafe(HEADER_BYTES + bodyBytes);
  buf[HEADER_BYTES] = type;
  buf.set(payload, HEADER_BYTES + 1);
  buf.writeUInt32LE(bodyBytes, 0);
  buf.writeUInt32LE(crc32(buf.subarray(HEADER_BYTES)), 4);
  buf.writeUInt32LE(crc32(buf.subarray(0, 8)), 8);
  return buf;
}

/** Checks the record at `offset`; returns its body length, or why it is not a record. */
function checkRecordAt(buf: Buffer, offset: number): { bodyBytes: number } | { reason: string } {
  const left = buf.length - offset;
  if (left < HEADER_BYTES) return { reason: `incomplete header (${left} of ${HEADER_BYTES} bytes)` };
  if (buf.readUInt32LE(offset + 8) !== crc32(buf.subarray(offset, offset + 8))) {
    const zero = buf.subarray(offset, offset + HEADER_BYTES).every((b) => b === 0);
    return { reason: zero ? "zero-filled header" : "header checksum mismatch" };
  }
  const bodyBytes = buf.readUInt32LE(offset);
  if (bodyBytes < 1 || bodyBytes > RECORD_BYTES_MAX)
    return { reason: `impossible record length ${bodyBytes}` };
  if (bodyBytes > left - HEADER_BYTES) {
    return { reason: `record of ${bodyBytes} bytes runs past the end (${left - HEADER_BYTES} left)` };
  }
  const body = buf.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + bodyBytes);
  if (buf.readUInt32LE(offset + 4) !== crc32(body)) return { reason: "record checksum mismatch" };
  const type = body[0] as number;
  if (type < 1 || type > RECORD_TYPE_MAX) return { reason: `unknown record type ${type}` };
  return { bodyBytes };
}

/** Reads whole records from the start of `buf` until the end or the first damaged spot. */
export function scanRecords(buf: Buffer): ScanResult {
  const records: FramedRecord[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const check = checkRecordAt(buf, offset);
    if ("reason" in check) return { records, validBytes: offset, problem: { offset, reason: check.reason } };
    const body = buf.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + check.bodyBytes);
    records.push({ type: body[0] as RecordType, payload: body.subarray(1), offset });
    offset += HEADER_BYTES + check.bodyBytes;
  }
  return { records, validBytes: offset };
}

/**
 * The offset of the first valid record that starts after `from`, or -1. A valid record after a
 * damaged one means the damage is not a torn tail: data written (and acknowledged) later survives.
 */
export function findValidRecordAfter(buf: Buffer, from: number): number {
  for (let offset = from + 1; offset + HEADER_BYTES <= buf.length; offset++) {
    const bodyBytes = buf.readUInt32LE(offset); // cheap filter before the checksums
    if (bodyBytes === 0 || bodyBytes > buf.length - offset - HEADER_BYTES) continue;
    if (!("reason" in checkRecordAt(buf, offset))) return offset;
  }
  return -1;
}
