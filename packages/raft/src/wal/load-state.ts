/**
 * Turns the replayed log and the snapshot files into the state a node starts from. The snapshot
 * is the newest one that is both recorded in the WAL (a marker) and intact on disk. Falling back
 * to an older snapshot is allowed only while the WAL still holds every entry after it; otherwise
 * the node stops with RaftError("wal-corrupt") instead of starting with a hole in its log.
 */
import { RaftError } from "../errors.ts";
import type { Entry, HardState, Logger, Snapshot, SnapshotMetadata } from "../types.ts";
import type { RecordCipher } from "./record-cipher.ts";
import type { ReplayedLog } from "./replay-log.ts";
import type { SegmentName } from "./segment-files.ts";
import { readSnapshotFile, type SnapshotFile } from "./snapshot-files.ts";

export interface WalState {
  readonly hardState: HardState;
  /** The snapshot to restore first, if any; `entries` follow it directly. */
  readonly snapshot?: Snapshot;
  readonly entries: Entry[];
}

const WHAT_TO_DO =
  "The node will not start. Restore this node's data directory from a backup, or remove it and " +
  "rejoin the cluster as a new member.";

export async function loadState(
  log: ReplayedLog,
  snapFiles: readonly SnapshotFile[],
  oldestSegment: SegmentName,
  logger: Logger,
  cipher?: RecordCipher,
): Promise<WalState> {
  const marked = new Set(log.markers.map((m) => key(m)));
  const problems: string[] = [];
  let snapshot: Snapshot | undefined;
  for (const file of snapFiles) {
    if (!marked.has(key(file))) {
      logger.warn("ignoring a snapshot file the WAL does not record (crash while saving it?)", {
        path: file.path,
      });
      continue;
    }
    try {
      snapshot = await readSnapshotFile(file, cipher);
      break;
    } catch (err) {
      if (!(err instanceof RaftError) || err.code === "wal-locked") throw err;
      problems.push(err.message);
      logger.error("skipping a damaged snapshot file", { path: file.path, error: err.message });
    }
  }
  const missingMarked = log.markers.filter((m) => !snapFiles.some((f) => key(f) === key(m)));
  const newest = log.markers.reduce<SnapshotMetadata | undefined>(
    (a, m) => (a === undefined || m.index > a.index ? m : a),
    undefined,
  );
  if (newest && (snapshot === undefined || snapshot.metadata.index < newest.index)) {
    const lost = missingMarked.some((m) => key(m) === key(newest)) ? " (its file is missing)" : "";
    logger.warn("the newest snapshot recorded in the WAL is not usable; trying an older one", {
      newest: `${newest.term}-${newest.index}${lost}`,
    });
  }
  const why = problems.length > 0 ? ` Damaged snapshots: ${problems.join(" | ")}` : "";
  const state = checkState(log, snapshot, oldestSegment, why);
  return state;
}

function checkState(
  log: ReplayedLog,
  snapshot: Snapshot | undefined,
  oldestSegment: SegmentName,
  why: string,
): WalState {
  const snapIndex = snapshot?.metadata.index ?? 0;
  const fail = (what: string): never => {
    throw new RaftError(
      "wal-corrupt",
      `cannot rebuild the log from ${oldestSegment.path} on: ${what}.${why} ${WHAT_TO_DO}`,
    );
  };
  if (oldestSegment.seq > 1 && snapIndex < oldestSegment.firstIndex - 1) {
    fail(
      `entries up to ${oldestSegment.firstIndex - 1} were released, but the newest usable snapshot is at ${snapIndex}`,
    );
  }
  const first = log.entries[0]?.index;
  const logLast = first === undefined ? 0 : first + log.entries.length - 1;
  const last = Math.max(snapIndex, logLast);
  if (first !== undefined && first > snapIndex + 1) {
    fail(`entries ${snapIndex + 1}..${first - 1} are missing (the usable snapshot is at ${snapIndex})`);
  }
  if (snapshot && first !== undefined && first <= snapIndex && logLast >= snapIndex) {
    const term = log.entries[snapIndex - first]!.term;
    if (term !== snapshot.metadata.term) {
      fail(`entry ${snapIndex} has term ${term} but the snapshot there has term ${snapshot.metadata.term}`);
    }
  }
  if (log.hardState.commit > last) {
    fail(`the hard state says ${log.hardState.commit} is committed but the log ends at ${last}`);
  }
  const entries =
    first === undefined || first > snapIndex ? log.entries : log.entries.slice(snapIndex - first + 1);
  return snapshot ? { hardState: log.hardState, snapshot, entries } : { hardState: log.hardState, entries };
}

function key(m: { term: number; index: number }): string {
  return `${m.term}-${m.index}`;
}
