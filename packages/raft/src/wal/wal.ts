/**
 * The write-ahead log: appends records to the current segment with group commit, rolls over to a
 * new segment at segmentBytesMax, and releases old segments once a snapshot covers them.
 *
 * Group commit: save() calls queue up; one writer takes every queued save (up to batchBytesMax),
 * writes them with one write and, if any asked for it, one fdatasync, then resolves them all.
 * Calls arriving meanwhile form the next batch. A promise resolves only once its records are
 * written (and synced when mustSync, or when a later save in the same batch asked for a sync).
 *
 * Fail-stop: after any I/O error every pending and future call rejects with RaftError("wal-closed").
 * The WAL is never retried after a failed fsync (the kernel may have dropped the dirty pages).
 */
import type { FileHandle } from "node:fs/promises";
import { open, unlink } from "node:fs/promises";
import { join } from "node:path";
import { assert, RaftError } from "../errors.ts";
import type { Entry, HardState, Snapshot, SnapshotMetadata } from "../types.ts";
import type { WalOptions } from "./options.ts";
import { entryRecord, hardStateRecord, sealRecords, snapshotMarkerRecord } from "./record-codec.ts";
import { type SegmentName, segmentFileName, syncDir } from "./segment-files.ts";
import { listSnapshotFiles, writeSnapshotFile } from "./snapshot-files.ts";

export interface WalStats {
  saves: number;
  /** Group-commit writes (each carries one or more saves). */
  batches: number;
  syncs: number;
  bytesWritten: number;
  segmentsCreated: number;
  segmentsReleased: number;
}

interface SaveJob {
  readonly kind: "save";
  readonly buffers: Buffer[];
  readonly bytes: number;
  readonly mustSync: boolean;
  readonly hardState?: HardState;
  readonly lastIndex?: number;
  readonly marker?: SnapshotMetadata;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

interface TaskJob {
  readonly kind: "task";
  readonly run: () => Promise<void>;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/** What openWal found, handed to the Wal it builds. */
export interface WalStart {
  readonly dir: string;
  readonly segments: SegmentName[];
  readonly file: FileHandle;
  readonly fileBytes: number;
  readonly lastIndex: number;
  readonly hardState: HardState;
  readonly snapshot: SnapshotMetadata | undefined;
}

export class Wal {
  readonly stats: WalStats = {
    saves: 0,
    batches: 0,
    syncs: 0,
    bytesWritten: 0,
    segmentsCreated: 0,
    segmentsReleased: 0,
  };
  private readonly walDir: string;
  private readonly snapDir: string;
  private readonly queue: (SaveJob | TaskJob)[] = [];
  private draining: Promise<void> | undefined;
  private closedError: RaftError | undefined;
  // Invariant: segments is non-empty, oldest first; the last one is the one `file` writes.
  private readonly segments: SegmentName[];
  private file: FileHandle;
  private fileBytes: number;
  /** Bytes written to `file` but not yet fdatasync'ed. */
  private dirty = false;
  // Invariant: no live entry written so far has an index above lastIndex.
  private lastIndex: number;
  private hardState: HardState;
  /** The newest snapshot known to be on disk and recorded in the WAL. */
  private snapshot: SnapshotMetadata | undefined;

  constructor(
    start: WalStart,
    private readonly opts: WalOptions,
  ) {
    assert(start.segments.length > 0, "a WAL has a segment");
    this.walDir = join(start.dir, "wal");
    this.snapDir = join(start.dir, "snap");
    this.segments = start.segments;
    this.file = start.file;
    this.fileBytes = start.fileBytes;
    this.lastIndex = start.lastIndex;
    this.hardState = start.hardState;
    this.snapshot = start.snapshot;
  }

  /**
   * Appends `entries` (contiguous; the first may be at or below the last index saved, which
   * overwrites that suffix) and then `hardState`. Resolves once written, and synced if mustSync.
   */
  save(hardState: HardState | undefined, entries: readonly Entry[], mustSync: boolean): Promise<void> {
    for (let i = 1; i < entries.length; i++) {
      assert(entries[i]!.index === entries[i - 1]!.index + 1, "entries passed to save are contiguous");
    }
    const frames = entries.map(entryRecord);
    if (hardState) frames.push(hardStateRecord(hardState));
    const buffers = sealRecords(frames, this.opts.cipher);
    const last = entries[entries.length - 1];
    return this.enqueueSave(buffers, mustSync, { hardState, lastIndex: last?.index });
  }

  /**
   * Writes the snapshot file durably, then records a marker in the WAL (synced). Call it before
   * save() for a Ready that carries both, so a crash never leaves a commit index past the log.
   */
  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    if (this.closedError) throw this.closedError;
    await writeSnapshotFile(this.snapDir, snapshot, this.opts.cipher);
    const m = snapshot.metadata;
    await this.enqueueSave(sealRecords([snapshotMarkerRecord(m)], this.opts.cipher), true, { marker: m });
  }

  /**
   * Deletes segments (oldest first, crash-safe) whose entries are all at or below
   * min(index, newest snapshot index) - releaseKeepEntries, and snapshot files too old to use.
   */
  releaseTo(index: number): Promise<void> {
    return this.enqueueTask(() => this.release(index));
  }

  /** Waits for queued work, then closes. Idempotent; later calls reject with "wal-closed". */
  async close(): Promise<void> {
    while (this.draining) await this.draining;
    if (this.closedError) return;
    this.closedError = new RaftError("wal-closed", "the WAL was closed");
    await this.file.close();
  }

  private enqueueSave(
    buffers: Buffer[],
    mustSync: boolean,
    track: { hardState?: HardState | undefined; lastIndex?: number | undefined; marker?: SnapshotMetadata },
  ): Promise<void> {
    if (this.closedError) return Promise.reject(this.closedError);
    const bytes = buffers.reduce((n, b) => n + b.length, 0);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ kind: "save", buffers, bytes, mustSync, resolve, reject, ...track });
      this.stats.saves++;
      this.kick();
    });
  }

  private enqueueTask(run: () => Promise<void>): Promise<void> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ kind: "task", run, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.draining) return;
    this.draining = this.drain();
  }

  private async drain(): Promise<void> {
    try {
      await this.drainQueue();
    } finally {
      this.draining = undefined;
    }
    // Jobs queued while drainQueue was returning found `draining` still set: take them now.
    if (this.queue.length > 0 && !this.closedError) this.kick();
  }

  private async drainQueue(): Promise<void> {
    while (this.queue.length > 0 && !this.closedError) {
      const head = this.queue[0]!;
      const jobs = head.kind === "task" ? [this.queue.shift() as TaskJob] : this.takeBatch();
      try {
        if (head.kind === "task") await head.run();
        else await this.writeBatch(jobs as SaveJob[]);
      } catch (err) {
        this.failStop(err as Error, jobs);
        return;
      }
      for (const job of jobs) job.resolve();
      if (this.fileBytes >= this.opts.segmentBytesMax) {
        try {
          await this.rollover();
        } catch (err) {
          this.failStop(err as Error, []);
        }
      }
      // Several callers were waiting together: let them queue their next saves (their
      // continuations run now) so those share one batch instead of splitting in two.
      if (jobs.length > 1) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Takes queued saves, in order, up to batchBytesMax (always at least one). */
  private takeBatch(): SaveJob[] {
    const batch: SaveJob[] = [];
    let bytes = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (next.kind !== "save" || (batch.length > 0 && bytes + next.bytes > this.opts.batchBytesMax)) break;
      batch.push(this.queue.shift() as SaveJob);
      bytes += next.bytes;
    }
    return batch;
  }

  private async writeBatch(batch: readonly SaveJob[]): Promise<void> {
    const buffers = batch.flatMap((j) => j.buffers);
    await this.append(buffers.length === 1 ? buffers[0]! : Buffer.concat(buffers));
    if (batch.some((j) => j.mustSync)) await this.sync();
    this.stats.batches++;
    for (const job of batch) {
      if (job.lastIndex !== undefined) this.lastIndex = job.lastIndex;
      if (job.hardState) this.hardState = job.hardState;
      if (job.marker) this.trackSnapshot(job.marker);
    }
  }

  private trackSnapshot(m: SnapshotMetadata): void {
    if (!this.snapshot || m.index >= this.snapshot.index) this.snapshot = m;
    this.lastIndex = Math.max(this.lastIndex, m.index);
  }

  private async append(buf: Buffer | undefined): Promise<void> {
    if (!buf || buf.length === 0) return;
    await this.opts.hooks.beforeWrite?.(buf.length);
    let done = 0;
    while (done < buf.length) {
      const { bytesWritten } = await this.file.write(buf, done, buf.length - done, this.fileBytes + done);
      if (bytesWritten <= 0) throw new Error(`write to ${this.currentPath()} made no progress`);
      done += bytesWritten;
    }
    this.fileBytes += buf.length;
    this.stats.bytesWritten += buf.length;
    this.dirty = true;
  }

  private async sync(): Promise<void> {
    if (!this.dirty) return;
    await this.opts.hooks.beforeSync?.();
    await this.file.datasync();
    this.stats.syncs++;
    this.dirty = false;
  }

  /** Seals the current segment and starts the next one with the current hard state and snapshot. */
  private async rollover(): Promise<void> {
    await this.sync(); // a sealed segment must be whole: only the last may have a torn tail
    await this.file.close();
    const seq = this.segments[this.segments.length - 1]!.seq + 1;
    const path = join(this.walDir, segmentFileName(seq, this.lastIndex + 1));
    this.file = await open(path, "wx");
    this.fileBytes = 0;
    this.segments.push({ seq, firstIndex: this.lastIndex + 1, path });
    this.stats.segmentsCreated++;
    await syncDir(this.walDir);
    await this.writeSegmentHeader();
  }

  /**
   * The first records of a segment: enough state that older segments can be deleted.
   * @internal openWal calls it when the last segment was left empty by a crash.
   */
  async writeSegmentHeader(): Promise<void> {
    const header = [hardStateRecord(this.hardState)];
    if (this.snapshot) header.push(snapshotMarkerRecord(this.snapshot));
    await this.append(Buffer.concat(sealRecords(header, this.opts.cipher)));
    await this.sync();
  }

  private async release(index: number): Promise<void> {
    const limit = Math.min(index, this.snapshot?.index ?? 0) - this.opts.releaseKeepEntries;
    let count = 0;
    // Segment i holds no live entry above segments[i+1].firstIndex - 1.
    while (count < this.segments.length - 1 && this.segments[count + 1]!.firstIndex - 1 <= limit) count++;
    for (const segment of this.segments.slice(0, count)) await unlink(segment.path); // oldest first
    if (count > 0) {
      this.segments.splice(0, count);
      this.stats.segmentsReleased += count;
      await syncDir(this.walDir);
    }
    await this.removeUnusableSnapshots();
  }

  /** Snapshot files older than the oldest kept segment can never be used again. */
  private async removeUnusableSnapshots(): Promise<void> {
    const oldest = this.segments[0]!;
    if (oldest.seq === 1) return;
    let removed = 0;
    for (const file of await listSnapshotFiles(this.snapDir)) {
      const isCurrent = file.index === this.snapshot?.index && file.term === this.snapshot.term;
      if (!isCurrent && file.index < oldest.firstIndex - 1) {
        await unlink(file.path);
        removed++;
      }
    }
    if (removed > 0) await syncDir(this.snapDir);
  }

  private failStop(cause: Error, jobs: readonly (SaveJob | TaskJob)[]): void {
    this.closedError ??= new RaftError(
      "wal-closed",
      `the WAL stopped after an I/O error on ${this.currentPath()}: ${cause.message}. Saves not yet ` +
        `acknowledged were not persisted; restart the node (start-up recovers the last durable state).`,
    );
    (this.closedError as Error & { cause?: unknown }).cause ??= cause;
    const pending = [...jobs, ...this.queue.splice(0)];
    for (const job of pending) job.reject(this.closedError);
    this.file.close().catch(() => {}); // already failing; the error above is what matters
  }

  private currentPath(): string {
    return this.segments[this.segments.length - 1]!.path;
  }
}
