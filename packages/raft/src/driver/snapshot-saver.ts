/**
 * Saves the driver's own snapshots off the Ready path, one at a time: waits for the state
 * machine's (possibly asynchronous) encoding, records the snapshot in MemoryStorage, writes it to
 * the WAL, then compacts MemoryStorage and lets the WAL release what the snapshot covers.
 */
import type { ConfState, Logger } from "../types.ts";
import type { DurableLog, LogStorage } from "./ports.ts";

export interface SnapshotSaverDeps {
  readonly storage: LogStorage;
  readonly log: DurableLog;
  readonly logger: Logger;
  /** Entries kept in MemoryStorage behind a snapshot. */
  readonly compactionKeepEntries: number;
  readonly isStopped: () => boolean;
  readonly fail: (err: unknown) => void;
}

export class SnapshotSaver {
  private saving: Promise<void> | undefined;

  constructor(private readonly deps: SnapshotSaverDeps) {}

  get busy(): boolean {
    return this.saving !== undefined;
  }

  /** Starts saving a snapshot at `index` in the background; a failure goes to deps.fail. */
  start(index: number, confState: ConfState, data: Uint8Array | Promise<Uint8Array>): void {
    if (this.saving) throw new Error("snapshot-saver: one snapshot at a time");
    this.saving = this.save(index, confState, data)
      .catch((err: unknown) => this.deps.fail(err))
      .finally(() => {
        this.saving = undefined;
      });
  }

  /** Resolves once no snapshot is being saved. */
  async idle(): Promise<void> {
    await this.saving;
  }

  private async save(
    index: number,
    confState: ConfState,
    data: Uint8Array | Promise<Uint8Array>,
  ): Promise<void> {
    const { storage, log, logger, isStopped } = this.deps;
    const bytes = await data;
    // A snapshot installed from the leader meanwhile supersedes this one.
    if (isStopped() || index < storage.firstIndex()) return;
    const snapshot = storage.createSnapshot(index, confState, bytes);
    await log.saveSnapshot(snapshot);
    if (isStopped()) return;
    const compactTo = index - this.deps.compactionKeepEntries;
    if (compactTo > storage.firstIndex()) storage.compact(compactTo);
    await log.releaseTo?.(index);
    logger.debug("driver: snapshot saved", { index, compactTo });
  }
}
