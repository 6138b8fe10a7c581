/** The leader's view of one follower's log and how to send to it (tracker/progress.go's design). */
import { Inflights } from "./inflights.ts";

export enum ProgressState {
  /** Unknown match: send one append at a time until the follower accepts one. */
  Probe = 0,
  /** Known match: stream appends optimistically, bounded by the inflights ring. */
  Replicate = 1,
  /** The follower needs a snapshot; nothing else is sent until it is reported. */
  Snapshot = 2,
}

export class Progress {
  // Invariant: 0 <= match < next.
  match = 0;
  next: number;
  state = ProgressState.Probe;
  /** In Snapshot state: the index of the snapshot being sent. */
  pendingSnapshot = 0;
  /** Heard from since the last check-quorum round. */
  recentActive = false;
  /** Probe state: an append is out, wait for its answer (or a heartbeat response). */
  msgAppFlowPaused = false;
  readonly inflights: Inflights;
  isLearner: boolean;

  constructor(next: number, maxInflightMsgs: number, isLearner: boolean) {
    this.next = next;
    this.inflights = new Inflights(maxInflightMsgs);
    this.isLearner = isLearner;
  }

  private resetState(state: ProgressState): void {
    this.msgAppFlowPaused = false;
    this.pendingSnapshot = 0;
    this.state = state;
    this.inflights.reset();
  }

  becomeProbe(): void {
    if (this.state === ProgressState.Snapshot) {
      const pending = this.pendingSnapshot;
      this.resetState(ProgressState.Probe);
      this.next = Math.max(this.match + 1, pending + 1);
    } else {
      this.resetState(ProgressState.Probe);
      this.next = this.match + 1;
    }
  }

  becomeReplicate(): void {
    this.resetState(ProgressState.Replicate);
    this.next = this.match + 1;
  }

  becomeSnapshot(snapshotIndex: number): void {
    this.resetState(ProgressState.Snapshot);
    this.pendingSnapshot = snapshotIndex;
  }

  /** Records an append of `count` entries ending at `lastIndex` just sent. */
  updateOnEntriesSend(count: number, lastIndex: number): void {
    if (this.state === ProgressState.Replicate) {
      if (count > 0) {
        this.next = lastIndex + 1;
        this.inflights.add(lastIndex);
      }
    } else if (this.state === ProgressState.Probe) {
      if (count > 0) this.msgAppFlowPaused = true;
    }
  }

  /** The follower acknowledged up to n; false when that is old news. */
  maybeUpdate(n: number): boolean {
    let updated = false;
    if (this.match < n) {
      this.match = n;
      updated = true;
      this.msgAppFlowPaused = false;
    }
    this.next = Math.max(this.next, n + 1);
    return updated;
  }

  /**
   * The follower rejected an append at `rejected`; `matchHint` is where it may match. False when
   * the rejection is stale (out of order).
   */
  maybeDecrTo(rejected: number, matchHint: number): boolean {
    if (this.state === ProgressState.Replicate) {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1);
    this.msgAppFlowPaused = false;
    return true;
  }

  isPaused(): boolean {
    switch (this.state) {
      case ProgressState.Probe:
        return this.msgAppFlowPaused;
      case ProgressState.Replicate:
        return this.inflights.full();
      case ProgressState.Snapshot:
        return true;
    }
  }
}
