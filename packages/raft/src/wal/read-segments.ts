/**
 * Reads every segment at start-up. A damaged spot in the last segment with nothing valid after it
 * is a torn tail (a write cut short by a crash, never acknowledged): it is truncated and logged.
 * Any other damage stops the node with RaftError("wal-corrupt") naming the file and byte offset.
 */
import { open, readFile } from "node:fs/promises";
import { RaftError } from "../errors.ts";
import type { Logger } from "../types.ts";
import type { RecordCipher } from "./record-cipher.ts";
import { decodeRecords, type WalRecord } from "./record-codec.ts";
import { findValidRecordAfter, scanRecords } from "./record-frame.ts";
import type { SegmentName } from "./segment-files.ts";

export interface LocatedRecord {
  readonly record: WalRecord;
  readonly path: string;
  readonly offset: number;
}

export interface SegmentsRead {
  readonly records: LocatedRecord[];
  /** Where writing continues in the last segment (after any truncation). */
  readonly lastSegmentBytes: number;
  readonly lastSegmentRecords: number;
}

const WHAT_TO_DO =
  "The node will not start. Restore this node's data directory from a backup, or remove it and " +
  "rejoin the cluster as a new member (the other members hold the data).";

export function corruptError(path: string, offset: number, what: string): RaftError {
  return new RaftError(
    "wal-corrupt",
    `WAL file ${path} is corrupt at byte ${offset}: ${what}. ${WHAT_TO_DO}`,
  );
}

export async function readSegments(
  segments: readonly SegmentName[],
  logger: Logger,
  cipher?: RecordCipher,
): Promise<SegmentsRead> {
  const records: LocatedRecord[] = [];
  let lastSegmentBytes = 0;
  let lastSegmentRecords = 0;
  for (const [i, segment] of segments.entries()) {
    const isLast = i === segments.length - 1;
    const buf = await readFile(segment.path);
    const scan = scanRecords(buf);
    if (scan.problem) {
      const { offset, reason } = scan.problem;
      if (!isLast) throw corruptError(segment.path, offset, `${reason} in a sealed segment`);
      const next = findValidRecordAfter(buf, offset);
      if (next >= 0) {
        throw corruptError(segment.path, offset, `${reason}, yet a valid record follows at byte ${next}`);
      }
      await truncateTornTail(segment.path, offset);
      logger.warn("truncated a torn WAL tail", {
        path: segment.path,
        offset,
        droppedBytes: buf.length - offset,
        reason,
      });
    }
    for (const rec of scan.records) {
      let decoded: WalRecord[];
      try {
        decoded = decodeRecords(rec, cipher);
      } catch (err) {
        if (err instanceof RaftError && err.code === "wal-locked") throw err;
        throw corruptError(segment.path, rec.offset, `checksum is good but ${(err as Error).message}`);
      }
      for (const record of decoded) records.push({ record, path: segment.path, offset: rec.offset });
    }
    if (isLast) {
      lastSegmentBytes = scan.validBytes;
      lastSegmentRecords = scan.records.length;
    }
  }
  return { records, lastSegmentBytes, lastSegmentRecords };
}

async function truncateTornTail(path: string, offset: number): Promise<void> {
  const fh = await open(path, "r+");
  try {
    await fh.truncate(offset);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}
