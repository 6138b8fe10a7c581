import type { Logger } from "../types.ts";
import type { RecordCipher } from "./record-cipher.ts";

/** Test and measurement hooks. Each may throw (or reject) to simulate a failing disk. */
export interface WalHooks {
  /** Called before each write of a batch to the current segment. */
  beforeWrite?(bytes: number): void | Promise<void>;
  /** Called before each fdatasync of the current segment. */
  beforeSync?(): void | Promise<void>;
}

export interface WalOptions {
  /** A segment is closed and a new one started once it reaches this size. */
  readonly segmentBytesMax: number;
  /** Max bytes one group-commit write carries; more waits for the next write. */
  readonly batchBytesMax: number;
  /** releaseTo(i) keeps at least this many entries before i in the WAL. */
  readonly releaseKeepEntries: number;
  readonly logger: Logger;
  readonly hooks: WalHooks;
  /**
   * Encrypts records and snapshot files written from now on, and opens encrypted ones when
   * reading. Without it everything is written plain, and reading an encrypted WAL fails with
   * RaftError("wal-locked"). Plain records are read either way, so a WAL written before
   * encryption was switched on stays readable (its plain records go as segments are released).
   */
  readonly cipher?: RecordCipher;
}

export const MIB = 1024 * 1024;

/** The largest record body (type byte + payload) the WAL writes or believes when reading. */
export const RECORD_BYTES_MAX = 128 * MIB;

export const DEFAULT_WAL_OPTIONS = {
  segmentBytesMax: 64 * MIB,
  batchBytesMax: 16 * MIB,
  releaseKeepEntries: 0,
} as const satisfies Partial<WalOptions>;

const consoleLogger: Logger = {
  debug: () => {},
  info: (msg, fields) => console.info(`[wal] ${msg}`, fields ?? ""),
  warn: (msg, fields) => console.warn(`[wal] ${msg}`, fields ?? ""),
  error: (msg, fields) => console.error(`[wal] ${msg}`, fields ?? ""),
};

/** Fills in defaults and rejects nonsense limits (a programmer error, so it throws RangeError). */
export function resolveWalOptions(opts: Partial<WalOptions> = {}): WalOptions {
  const resolved: WalOptions = {
    ...DEFAULT_WAL_OPTIONS,
    logger: consoleLogger,
    hooks: {},
    ...opts,
  };
  const positive = (name: keyof WalOptions, v: number, min: number) => {
    if (!Number.isSafeInteger(v) || v < min)
      throw new RangeError(`WalOptions.${name} must be an integer >= ${min}, got ${v}`);
  };
  positive("segmentBytesMax", resolved.segmentBytesMax, 4096);
  positive("batchBytesMax", resolved.batchBytesMax, 1);
  positive("releaseKeepEntries", resolved.releaseKeepEntries, 0);
  return resolved;
}
