/**
 * Opens (or creates) the WAL under `<dir>/wal` and the snapshots under `<dir>/snap`, recovers
 * from a torn tail, and returns the state to load into MemoryStorage together with the Wal to
 * append to.
 */
import { mkdir, open } from "node:fs/promises";
import { join } from "node:path";
import { loadState, type WalState } from "./load-state.ts";
import { resolveWalOptions, type WalOptions } from "./options.ts";
import { readSegments } from "./read-segments.ts";
import { replayLog } from "./replay-log.ts";
import { listSegments, segmentFileName, syncDir } from "./segment-files.ts";
import { listSnapshotFiles, removeSnapshotTmpFiles } from "./snapshot-files.ts";
import { Wal } from "./wal.ts";

export interface OpenedWal {
  readonly wal: Wal;
  readonly state: WalState;
}

export async function openWal(dir: string, options: Partial<WalOptions> = {}): Promise<OpenedWal> {
  const opts = resolveWalOptions(options);
  const walDir = join(dir, "wal");
  const snapDir = join(dir, "snap");
  await ensureDir(dir, walDir);
  await ensureDir(dir, snapDir);
  const stale = await removeSnapshotTmpFiles(snapDir);
  if (stale.length > 0) opts.logger.warn("removed unfinished snapshot files", { files: stale });

  let segments = await listSegments(walDir);
  if (segments.length === 0) {
    await (await open(join(walDir, segmentFileName(1, 1)), "wx")).close();
    await syncDir(walDir);
    segments = await listSegments(walDir);
  }
  const read = await readSegments(segments, opts.logger, opts.cipher);
  const log = replayLog(read.records);
  const snapFiles = await listSnapshotFiles(snapDir);
  const state = await loadState(log, snapFiles, segments[0]!, opts.logger, opts.cipher);

  const last = segments[segments.length - 1]!;
  const logLast = log.entries[log.entries.length - 1]?.index ?? 0;
  const snapshot = state.snapshot?.metadata;
  const file = await open(last.path, "r+");
  const wal = new Wal(
    {
      dir,
      segments,
      file,
      fileBytes: read.lastSegmentBytes,
      lastIndex: Math.max(logLast, snapshot?.index ?? 0, ...log.markers.map((m) => m.index)),
      hardState: log.hardState,
      snapshot,
    },
    opts,
  );
  if (read.lastSegmentRecords === 0) await wal.writeSegmentHeader();
  return { wal, state };
}

async function ensureDir(parent: string, dir: string): Promise<void> {
  const created = await mkdir(dir, { recursive: true });
  if (created !== undefined) await syncDir(parent);
}
