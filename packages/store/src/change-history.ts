import type { ChangeBatch } from "./changes.ts";
import { assert } from "./errors.ts";

/** Named limits of the in-memory change history that watches replay from. */
export interface ChangeHistoryLimits {
  /** Applied transactions kept. */
  readonly batchesMax: number;
  /** Changes kept over all kept transactions (the newest transaction is always kept). */
  readonly changesMax: number;
}

export const DEFAULT_CHANGE_HISTORY_LIMITS: ChangeHistoryLimits = Object.freeze({
  batchesMax: 4_096,
  changesMax: 250_000,
});

/**
 * The most recent change batches, oldest first, each with a sequence number (its position since
 * the store started). A watcher keeps the sequence number of the next batch it wants; when the
 * history has dropped that batch, the watcher fell behind and must resync.
 */
export class ChangeHistory {
  // Kept batches are batches[head..]; the slots before head are dropped ones awaiting compaction.
  private batches: (ChangeBatch | undefined)[] = [];
  private head = 0;
  // Invariant: batches[head + i] has sequence number firstSeq + i.
  private firstSeq = 0;
  private changeCount = 0;
  /**
   * Every change with a version above this is in the history. Raised when a batch is dropped and
   * by reset (restore).
   */
  private coveredAfter: number;

  constructor(
    private readonly limits: ChangeHistoryLimits,
    version: number,
  ) {
    assert(limits.batchesMax >= 1 && limits.changesMax >= 1, "change history limits are at least 1");
    this.coveredAfter = version;
  }

  get size(): number {
    return this.batches.length - this.head;
  }

  /** The sequence number the next pushed batch gets. */
  get nextSeq(): number {
    return this.firstSeq + this.size;
  }

  get oldestSeq(): number {
    return this.firstSeq;
  }

  /** The oldest version a watch may start from. */
  get oldestVersion(): number {
    return this.coveredAfter;
  }

  push(batch: ChangeBatch): void {
    const last = this.batches[this.batches.length - 1];
    assert(last === undefined || batch.version > last.version, "change batches arrive in version order");
    this.batches.push(batch);
    this.changeCount += batch.changes.length;
    while (
      this.size > 1 &&
      (this.size > this.limits.batchesMax || this.changeCount > this.limits.changesMax)
    ) {
      const dropped = this.batches[this.head] as ChangeBatch;
      this.batches[this.head] = undefined;
      this.head++;
      this.firstSeq++;
      this.changeCount -= dropped.changes.length;
      this.coveredAfter = dropped.version;
    }
    // Compact when the dropped slots are the larger part: amortised O(1) per batch.
    if (this.head > 64 && this.head * 2 > this.batches.length) {
      this.batches = this.batches.slice(this.head);
      this.head = 0;
    }
  }

  /** The batch with this sequence number, or undefined when it was dropped or not made yet. */
  at(seq: number): ChangeBatch | undefined {
    if (seq < this.firstSeq) return undefined;
    return this.batches[this.head + seq - this.firstSeq];
  }

  /**
   * The sequence number of the first batch with a version above `version`, or undefined when the
   * history no longer reaches back that far.
   */
  seqAfter(version: number): number | undefined {
    if (version < this.coveredAfter) return undefined;
    let lo = this.head;
    let hi = this.batches.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.batches[mid] as ChangeBatch).version <= version) lo = mid + 1;
      else hi = mid;
    }
    return this.firstSeq + (lo - this.head);
  }

  /** Forgets everything (after a restore): watches must start from `version` or later. */
  reset(version: number): void {
    this.firstSeq = this.nextSeq;
    this.batches = [];
    this.head = 0;
    this.changeCount = 0;
    this.coveredAfter = version;
  }
}
