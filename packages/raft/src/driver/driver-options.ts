import type { Transport } from "../transport/transport.ts";
import type { ConfState, Logger } from "../types.ts";
import type { DurableLog, LogStorage, RaftNode, StateMachine } from "./ports.ts";

export interface DriverOptions<R> {
  readonly node: RaftNode;
  /** The MemoryStorage the node reads; already filled from the WAL. */
  readonly storage: LogStorage;
  readonly log: DurableLog;
  readonly transport: Transport;
  readonly stateMachine: StateMachine<R>;
  readonly logger: Logger;
  /** The index the state machine reflects at start (the restored snapshot's, or 0). */
  readonly applied: number;
  /** The membership at `applied`. */
  readonly confState: ConfState;
  /** Wall-clock length of one Raft tick. */
  readonly tickMs?: number;
  /** Take a snapshot and compact the log after this many applied entries; 0 disables. */
  readonly snapshotEveryEntries?: number;
  /** Entries kept behind a snapshot so slow followers can catch up without one. */
  readonly compactionKeepEntries?: number;
  /** Max proposals waiting to be applied; more are refused with DriverError("busy"). */
  readonly proposalsPendingMax?: number;
  /** Max ReadIndex batches waiting; more reads are refused with DriverError("busy"). */
  readonly readBatchesPendingMax?: number;
  /** A proposal or read not applied by then is rejected with DriverError("timeout"). */
  readonly requestTimeoutMs?: number;
  /**
   * Leader only: send a Ready's messages before its entries are on the local disk, so
   * followers persist in parallel with the leader (Raft thesis §10.2.1; etcd does this).
   */
  readonly pipelineLeaderSends?: boolean;
  /** Called once when the driver stops on an error it cannot handle (e.g. the WAL failed). */
  readonly onFatal?: (err: Error) => void;
}

export type DriverSettings = Required<
  Pick<
    DriverOptions<unknown>,
    | "tickMs"
    | "snapshotEveryEntries"
    | "compactionKeepEntries"
    | "proposalsPendingMax"
    | "readBatchesPendingMax"
    | "requestTimeoutMs"
    | "pipelineLeaderSends"
  >
>;

export const DEFAULT_DRIVER_SETTINGS: DriverSettings = {
  tickMs: 100,
  snapshotEveryEntries: 10_000,
  compactionKeepEntries: 5_000,
  proposalsPendingMax: 10_000,
  readBatchesPendingMax: 1_000,
  requestTimeoutMs: 5_000,
  pipelineLeaderSends: false,
};

export function resolveDriverSettings(o: DriverOptions<unknown>): DriverSettings {
  const d = DEFAULT_DRIVER_SETTINGS;
  const s: DriverSettings = {
    tickMs: o.tickMs ?? d.tickMs,
    snapshotEveryEntries: o.snapshotEveryEntries ?? d.snapshotEveryEntries,
    compactionKeepEntries: o.compactionKeepEntries ?? d.compactionKeepEntries,
    proposalsPendingMax: o.proposalsPendingMax ?? d.proposalsPendingMax,
    readBatchesPendingMax: o.readBatchesPendingMax ?? d.readBatchesPendingMax,
    requestTimeoutMs: o.requestTimeoutMs ?? d.requestTimeoutMs,
    pipelineLeaderSends: o.pipelineLeaderSends ?? d.pipelineLeaderSends,
  };
  for (const key of ["tickMs", "proposalsPendingMax", "readBatchesPendingMax", "requestTimeoutMs"] as const) {
    if (!Number.isSafeInteger(s[key]) || s[key] <= 0) throw new RangeError(`driver: ${key} must be > 0`);
  }
  for (const key of ["snapshotEveryEntries", "compactionKeepEntries"] as const) {
    if (!Number.isSafeInteger(s[key]) || s[key] < 0) throw new RangeError(`driver: ${key} must be >= 0`);
  }
  return s;
}
