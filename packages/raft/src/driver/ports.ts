/**
 * What the driver needs of the pieces around it, stated structurally so the Raft core, the WAL
 * and the caller's state machine each satisfy it without depending on the driver.
 */
import type {
  ConfChange,
  ConfState,
  Entry,
  HardState,
  Message,
  NodeId,
  Ready,
  Snapshot,
  SnapshotStatus,
} from "../types.ts";

/** The etcd/raft-shaped node the driver runs (RawNode). */
export interface RaftNode {
  tick(): void;
  step(message: Message): void;
  propose(data: Uint8Array): void;
  proposeConfChange(cc: ConfChange): void;
  applyConfChange(cc: ConfChange): ConfState;
  readIndex(requestCtx: Uint8Array): void;
  transferLeadership(to: NodeId): void;
  hasReady(): boolean;
  ready(): Ready;
  advance(ready: Ready): void;
  reportUnreachable?(peer: NodeId): void;
  reportSnapshot?(peer: NodeId, status: SnapshotStatus): void;
}

/** The in-memory log the core reads (MemoryStorage); the driver is its only writer. */
export interface LogStorage {
  append(entries: readonly Entry[]): void;
  setHardState(hs: HardState): void;
  applySnapshot(snapshot: Snapshot): void;
  createSnapshot(index: number, confState: ConfState, data: Uint8Array): Snapshot;
  compact(index: number): void;
  firstIndex(): number;
  lastIndex(): number;
}

/** Durable storage: the WAL. Every promise resolves once the data is on disk when asked to sync. */
export interface DurableLog {
  save(hardState: HardState | undefined, entries: readonly Entry[], mustSync: boolean): Promise<void>;
  saveSnapshot(snapshot: Snapshot): Promise<void>;
  /** Lets the log drop what a snapshot at `index` made redundant. */
  releaseTo?(index: number): Promise<void>;
}

/**
 * The caller's replicated state machine. apply() runs once per committed command, in log order,
 * and its result resolves the proposer's promise on this node.
 */
export interface StateMachine<R = unknown> {
  apply(command: Uint8Array, entry: Entry): R;
  /**
   * The state after every entry applied so far. It must capture that state before returning, but
   * may encode it asynchronously (later applies must not show up in the result).
   */
  snapshot(): Uint8Array | Promise<Uint8Array>;
  /** Replaces the state with a snapshot's. */
  restore(data: Uint8Array): void;
  /** Called after a membership change entry is applied. */
  applyConfChange?(cc: ConfChange, confState: ConfState): void;
}
