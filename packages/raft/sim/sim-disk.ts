/**
 * A node's simulated disk. Writes land in a page cache first; sync() makes them durable. A crash
 * keeps what was synced and, unless the crash is "clean", may lose any suffix of the unsynced
 * writes (a prefix of them may still have reached the platter). Restart rebuilds a MemoryStorage
 * from the durable image — the way a WAL is replayed.
 */
import { MemoryStorage } from "../src/core/memory-storage.ts";
import { assert, EMPTY_HARD_STATE, type Entry, type HardState, type Snapshot } from "../src/index.ts";
import type { Prng } from "./prng.ts";

export type DiskWrite =
  | { readonly kind: "hard-state"; readonly hardState: HardState }
  | { readonly kind: "entries"; readonly entries: readonly Entry[] }
  /** A snapshot from the leader: replaces the whole log. */
  | { readonly kind: "install-snapshot"; readonly snapshot: Snapshot }
  /** A local snapshot: the log before it is compacted away. */
  | { readonly kind: "compact"; readonly snapshot: Snapshot };

interface DiskImage {
  hardState: HardState;
  snapshot: Snapshot | undefined;
  /** Entries after the snapshot, contiguous. */
  entries: Entry[];
}

export class SimDisk {
  private durable: DiskImage = { hardState: EMPTY_HARD_STATE, snapshot: undefined, entries: [] };
  private unsynced: DiskWrite[] = [];
  writes = 0;
  syncs = 0;

  write(w: DiskWrite): void {
    this.writes++;
    this.unsynced.push(w);
  }

  sync(): void {
    this.syncs++;
    for (const w of this.unsynced) applyWrite(this.durable, w);
    this.unsynced = [];
  }

  get unsyncedCount(): number {
    return this.unsynced.length;
  }

  /** Loses the page cache. With `loseUnsynced`, a random prefix of unsynced writes survives. */
  crash(loseUnsynced: boolean, rng: Prng): number {
    const kept = loseUnsynced ? rng.intn(this.unsynced.length + 1) : this.unsynced.length;
    const lost = this.unsynced.length - kept;
    this.unsynced = this.unsynced.slice(0, kept);
    this.sync();
    return lost;
  }

  /** The durable state as a fresh MemoryStorage, plus the snapshot the state machine restarts from. */
  load(): { storage: MemoryStorage; snapshot: Snapshot | undefined } {
    const storage = new MemoryStorage();
    const img = this.durable;
    if (img.snapshot !== undefined) storage.applySnapshot(img.snapshot);
    storage.append(img.entries);
    storage.setHardState(img.hardState);
    return { storage, snapshot: img.snapshot };
  }
}

function applyWrite(img: DiskImage, w: DiskWrite): void {
  switch (w.kind) {
    case "hard-state":
      img.hardState = w.hardState;
      return;
    case "entries": {
      if (w.entries.length === 0) return;
      const first = w.entries[0]!.index;
      const base = img.snapshot?.metadata.index ?? 0;
      assert(
        first <= base + img.entries.length + 1,
        `disk write at ${first} leaves a gap after ${base + img.entries.length}`,
      );
      const keep = Math.max(0, first - base - 1);
      img.entries = [...img.entries.slice(0, keep), ...w.entries.filter((e) => e.index > base)];
      return;
    }
    case "install-snapshot":
      img.snapshot = w.snapshot;
      img.entries = [];
      return;
    case "compact": {
      const index = w.snapshot.metadata.index;
      if (index <= (img.snapshot?.metadata.index ?? 0)) return;
      img.snapshot = w.snapshot;
      img.entries = img.entries.filter((e) => e.index > index);
      return;
    }
  }
}
