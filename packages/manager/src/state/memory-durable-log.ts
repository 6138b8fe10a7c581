/**
 * A DurableLog kept in memory, for simulation: it outlives the manager that writes it, so a
 * "killed" manager restarts from exactly what it had saved (a simulated disk that never loses
 * acknowledged writes). Same replay rules as the WAL: later entries replace a conflicting suffix,
 * a snapshot drops the entries it covers.
 */
import type { DurableLog, Entry, HardState, Snapshot } from "@shoal/raft";
import { EMPTY_HARD_STATE } from "@shoal/raft";

/** What a node restarts from (the same shape the WAL's openWal returns). */
export interface DurableState {
  readonly hardState: HardState;
  readonly snapshot?: Snapshot;
  readonly entries: Entry[];
}

export class MemoryDurableLog implements DurableLog {
  private hardState: HardState = EMPTY_HARD_STATE;
  private snap: Snapshot | undefined;
  // Invariant: entries[i].index === entries[0].index + i, and entries[0].index > snapshot index.
  private entries: Entry[] = [];
  /** Saves made (tests). */
  saves = 0;

  async save(hardState: HardState | undefined, entries: readonly Entry[]): Promise<void> {
    this.saves++;
    const first = entries[0];
    if (first !== undefined) {
      const offset = this.entries[0]?.index ?? first.index;
      this.entries.length = Math.max(0, Math.min(this.entries.length, first.index - offset));
      for (const e of entries) this.entries.push(e);
    }
    if (hardState) this.hardState = hardState;
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    const { index, term } = snapshot.metadata;
    if (this.snap && this.snap.metadata.index >= index) return;
    this.snap = snapshot;
    const offset = this.entries[0]?.index;
    if (offset === undefined) return;
    const at = this.entries[index - offset];
    // A compaction keeps the log after the snapshot; an installed snapshot replaces it.
    this.entries = at !== undefined && at.term === term ? this.entries.slice(index - offset + 1) : [];
    if (this.hardState.commit < index) this.hardState = { ...this.hardState, commit: index };
  }

  async releaseTo(): Promise<void> {}

  /** What a restarting node loads. */
  load(): DurableState {
    return { hardState: this.hardState, snapshot: this.snap, entries: [...this.entries] };
  }
}
