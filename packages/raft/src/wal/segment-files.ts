/**
 * Segment files: `<dir>/wal/<sequence>-<firstIndex>.wal`, both numbers decimal, 16 digits, so
 * names sort in write order. `firstIndex` is the index the next entry was expected to have when
 * the segment was started; every live entry in earlier segments is below it (an overwrite may
 * put lower indexes into a later segment, never higher ones into an earlier one).
 */
import { open, readdir } from "node:fs/promises";
import { join } from "node:path";
import { RaftError } from "../errors.ts";

export interface SegmentName {
  readonly seq: number;
  readonly firstIndex: number;
  readonly path: string;
}

const SEGMENT_RE = /^(\d{16})-(\d{16})\.wal$/;

export function segmentFileName(seq: number, firstIndex: number): string {
  return `${String(seq).padStart(16, "0")}-${String(firstIndex).padStart(16, "0")}.wal`;
}

/** The segments in `walDir`, oldest first. Throws "wal-corrupt" if the sequence has a hole. */
export async function listSegments(walDir: string): Promise<SegmentName[]> {
  const names = (await readdir(walDir)).filter((n) => SEGMENT_RE.test(n)).sort();
  const segments = names.map((name) => {
    const m = SEGMENT_RE.exec(name)!;
    return { seq: Number(m[1]), firstIndex: Number(m[2]), path: join(walDir, name) };
  });
  for (let i = 1; i < segments.length; i++) {
    const prev = segments[i - 1]!;
    const cur = segments[i]!;
    if (cur.seq !== prev.seq + 1) {
      throw new RaftError(
        "wal-corrupt",
        `WAL segment sequence has a hole: ${prev.path} is followed by ${cur.path}. A segment file was ` +
          `deleted or lost; restore it from a backup, or remove this node's data and rejoin the cluster.`,
      );
    }
  }
  return segments;
}

/** fsync a directory so that files created, renamed or deleted in it stay so after a crash. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
