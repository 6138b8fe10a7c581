import { randomBytes as cryptoRandomBytes } from "node:crypto";
import { applyTransaction } from "./apply-transaction.ts";
import { type BatchFailure, proposeInChunks } from "./batch-proposals.ts";
import { ChangeHistory, type ChangeHistoryLimits, DEFAULT_CHANGE_HISTORY_LIMITS } from "./change-history.ts";
import type { ChangeBatch } from "./changes.ts";
import { assert, StoreError, type StoreErrorData } from "./errors.ts";
import { ObjectValidator } from "./object-validation.ts";
import { createIdGenerator, pooledRandomBytes, type RandomBytes } from "./objects/ids.ts";
import type { ObjectKind } from "./objects/kinds.ts";
import type { Operation } from "./operations.ts";
import type { Proposer } from "./proposer.ts";
import { ReadView, type ViewSource } from "./read-view.ts";
import { decodeSnapshot, encodeSnapshot } from "./snapshot-codec.ts";
import { Tables } from "./tables/tables.ts";
import { decodeTransaction, TransactionEncoder } from "./transaction-codec.ts";
import { readChanges, resyncRequired, type WatchOptions, type WatchSource } from "./watch.ts";
import { WriteTx } from "./write-tx.ts";

export interface StoreOptions {
  /** How writes reach the log; may be set later with setProposer (e.g. once Raft runs). */
  readonly proposer?: Proposer;
  /** Source of id randomness; inject a seeded one for deterministic tests and simulation. */
  readonly randomBytes?: RandomBytes;
  /** Stamped on transactions as createdAtMs/updatedAtMs (read when a transaction is built). */
  readonly clock?: () => number;
  readonly history?: Partial<ChangeHistoryLimits>;
  /** Named limit: bytes of one proposal; keep it at or under Raft's maxProposalBytes. */
  readonly proposalBytesMax?: number;
  /**
   * Named limit: proposals of one batch() in flight at once. With proposalBytesMax this bounds the
   * uncommitted bytes a batch puts in the Raft log (default 8 × 1.5 MiB, under Raft's 64 MiB).
   */
  readonly batchProposalsInFlightMax?: number;
  /** Validate objects against their schemas when transactions are built and snapshots restored. */
  readonly validateObjects?: boolean;
}

/** Raft's default maxProposalBytes. */
export const DEFAULT_PROPOSAL_BYTES_MAX = 1536 * 1024;
export const DEFAULT_BATCH_PROPOSALS_IN_FLIGHT_MAX = 8;

/** What applyCommitted returns for an entry; the driver hands it back to the proposer. */
export type ApplyResult =
  | { readonly ok: true; readonly version: number; readonly changeCount: number }
  | { readonly ok: false; readonly version: number; readonly error: StoreErrorData };

export interface WriteOptions {
  /** Who asks for the change (user, token, component): carried in the log for the audit trail. */
  readonly actor?: string;
}

export interface Committed<T> {
  /** The Raft index the transaction was applied at: the new version of what it wrote. */
  readonly version: number;
  readonly value: T;
}

export interface BatchResult<T> {
  readonly value: T;
  /** Versions of the transactions that committed, in proposal order. */
  readonly versions: readonly number[];
  /**
   * The transactions that did not commit (each all-or-nothing on its own): why, and which
   * operations, in the order `fn` made them.
   */
  readonly failures: readonly BatchFailure[];
  /** The failures' errors alone. */
  readonly errors: readonly StoreError[];
  readonly transactionCount: number;
}

export interface ViewAndWatch {
  /** The state at `version`; readable until the store applies its next change. */
  readonly snapshot: ReadView;
  readonly version: number;
  /** Every change after `version`. */
  readonly changes: AsyncIterable<ChangeBatch>;
}

/**
 * The replicated cluster state of one manager. Writes go through the Raft log: update() proposes,
 * and the Raft driver calls applyCommitted() for every committed entry in log order, on every
 * manager. Reads are synchronous views of the applied state.
 */
export class Store {
  private tables = new Tables();
  private appliedIndex = 0;
  private generation = 0;
  private epoch = 0;
  private readonly history: ChangeHistory;
  private readonly waiters = new Set<() => void>();
  private proposer: Proposer | undefined;
  private readonly clock: () => number;
  private readonly proposalBytesMax: number;
  private readonly batchProposalsInFlightMax: number;
  private readonly validateObjects: boolean;
  readonly newId: () => string;
  private readonly source: ViewSource & WatchSource;

  constructor(options: StoreOptions) {
    this.proposer = options.proposer;
    this.clock = options.clock ?? Date.now;
    this.proposalBytesMax = options.proposalBytesMax ?? DEFAULT_PROPOSAL_BYTES_MAX;
    assert(this.proposalBytesMax >= 1024, "proposalBytesMax is at least 1 KiB");
    this.batchProposalsInFlightMax =
      options.batchProposalsInFlightMax ?? DEFAULT_BATCH_PROPOSALS_IN_FLIGHT_MAX;
    assert(this.batchProposalsInFlightMax >= 1, "batchProposalsInFlightMax is at least 1");
    this.validateObjects = options.validateObjects ?? true;
    this.newId = createIdGenerator(
      options.randomBytes ?? pooledRandomBytes((n) => new Uint8Array(cryptoRandomBytes(n))),
    );
    this.history = new ChangeHistory({ ...DEFAULT_CHANGE_HISTORY_LIMITS, ...options.history }, 0);
    const store = this;
    this.source = {
      get tables() {
        return store.tables;
      },
      get generation() {
        return store.generation;
      },
      get version() {
        return store.appliedIndex;
      },
      get epoch() {
        return store.epoch;
      },
      history: this.history,
      nextBatch: (signal) => this.nextBatch(signal),
    };
  }

  /** Sets (or, with undefined, removes) how writes reach the log. Reads work without one. */
  setProposer(proposer: Proposer | undefined): void {
    this.proposer = proposer;
  }

  /** The Raft index of the last applied entry. */
  get version(): number {
    return this.appliedIndex;
  }

  /** Runs `fn` on a consistent view of the applied state. `fn` must be synchronous. */
  view<T>(fn: (view: ReadView) => T): T {
    const view = new ReadView(this.source);
    try {
      return assertSync(fn(view), "view");
    } finally {
      view.close();
    }
  }

  /**
   * Builds a transaction with `fn` (synchronous) against the current state, proposes it and
   * resolves once it is applied. Rejects with StoreError: "version-conflict" (the message says
   * "changed since you read it": read again and retry), "name-conflict", "not-found", "exists",
   * "invalid-object", "transaction-too-large" (use batch()); or with the proposer's error.
   */
  async update<T>(fn: (tx: WriteTx) => T, options: WriteOptions = {}): Promise<Committed<T>> {
    const { value, ops, timeMs } = this.build(fn);
    if (ops.length === 0) return { version: this.appliedIndex, value };
    const encoder = new TransactionEncoder(timeMs, options.actor);
    for (const op of ops) encoder.tryAdd(op);
    if (encoder.byteLength > this.proposalBytesMax) {
      throw new StoreError(
        "transaction-too-large",
        `the transaction takes ${encoder.byteLength} bytes, over the ${this.proposalBytesMax}-byte proposal limit: use batch()`,
      );
    }
    return { version: await this.propose(encoder.finish()), value };
  }

  /**
   * Like update(), but splits the operations into as many transactions as the proposal limit
   * needs and proposes them together (pipelined). Each transaction is atomic on its own, the batch
   * is not: failures are reported per transaction, never thrown.
   */
  async batch<T>(fn: (tx: WriteTx) => T, options: WriteOptions = {}): Promise<BatchResult<T>> {
    const { value, ops, timeMs } = this.build(fn);
    const outcome = await proposeInChunks(ops, {
      timeMs,
      actor: options.actor,
      proposalBytesMax: this.proposalBytesMax,
      proposalsInFlightMax: this.batchProposalsInFlightMax,
      propose: (data) => this.propose(data),
    });
    return { value, ...outcome, errors: outcome.failures.map((f) => f.error) };
  }

  /** StateMachine.apply for the Raft driver: applyCommitted at the entry's index. */
  apply(command: Uint8Array, entry: { readonly index: number }): ApplyResult {
    return this.applyCommitted(entry.index, command);
  }

  /**
   * The apply contract: the Raft driver calls this for every committed normal entry, in log order,
   * with strictly increasing indexes (empty data = a no-op entry). Never throws for a refused
   * transaction: the refusal is the deterministic result every manager reaches.
   */
  applyCommitted(index: number, data: Uint8Array): ApplyResult {
    assert(index > this.appliedIndex, `entries are applied in order (${index} after ${this.appliedIndex})`);
    if (data.length === 0) {
      this.appliedIndex = index;
      return { ok: true, version: index, changeCount: 0 };
    }
    let batch: ChangeBatch;
    try {
      const tx = decodeTransaction(data);
      const changes = applyTransaction(this.tables, tx, index);
      batch =
        tx.actor === undefined
          ? { version: index, timeMs: tx.timeMs, changes }
          : { version: index, timeMs: tx.timeMs, actor: tx.actor, changes };
    } catch (e) {
      if (!(e instanceof StoreError)) throw e;
      this.appliedIndex = index;
      return {
        ok: false,
        version: index,
        error: { code: e.code, message: e.message, kind: e.kind, id: e.id },
      };
    }
    this.appliedIndex = index;
    if (batch.changes.length > 0) {
      this.generation++;
      this.history.push(batch);
      this.wakeWatchers();
    }
    return { ok: true, version: index, changeCount: batch.changes.length };
  }

  /**
   * Streams change batches with versions above `fromVersion`. Throws StoreError "resync-required"
   * at once when the history no longer reaches back to fromVersion, and from the iteration when
   * the watcher later falls behind the history or the store is restored: then use viewAndWatch().
   */
  watch(options: WatchOptions): AsyncIterable<ChangeBatch> {
    const start = this.history.seqAfter(options.fromVersion);
    if (start === undefined) {
      throw resyncRequired(
        `changes after version ${options.fromVersion} are no longer kept (the history starts after ${this.history.oldestVersion})`,
      );
    }
    return readChanges(this.source, { seq: start, epoch: this.epoch }, options);
  }

  /** The current state and every change after it, with nothing lost or repeated in between. */
  viewAndWatch(signal?: AbortSignal, kinds?: readonly ObjectKind[]): ViewAndWatch {
    const snapshot = new ReadView(this.source);
    const start = { seq: this.history.nextSeq, epoch: this.epoch };
    const changes = readChanges(this.source, start, {
      fromVersion: this.appliedIndex,
      kinds,
      signal,
    });
    return { snapshot, version: snapshot.version, changes };
  }

  /** The whole state at the applied index, for a Raft snapshot. Deterministic bytes. */
  snapshot(): Uint8Array {
    return encodeSnapshot(this.tables, this.appliedIndex);
  }

  /**
   * Replaces the whole state with a snapshot's (all or nothing). Open views expire; watches get
   * "resync-required". Throws StoreError "invalid-snapshot" or "invalid-object" on bad bytes.
   */
  restore(data: Uint8Array): void {
    const decoded = decodeSnapshot(data, this.validateObjects ? new ObjectValidator() : undefined);
    this.tables = decoded.tables;
    this.appliedIndex = decoded.version;
    this.generation++;
    this.epoch++;
    this.history.reset(decoded.version);
    this.wakeWatchers();
  }

  /** Checks every table's indexes against its rows (tests and simulation). */
  checkInvariants(): void {
    this.tables.checkInvariants();
  }

  private build<T>(fn: (tx: WriteTx) => T): { value: T; ops: readonly Operation[]; timeMs: number } {
    const view = new ReadView(this.source);
    const validator = this.validateObjects ? new ObjectValidator() : undefined;
    const tx = new WriteTx(view, this.clock(), this.newId, validator);
    try {
      const value = assertSync(fn(tx), "update");
      return { value, ops: tx.ops, timeMs: tx.timeMs };
    } finally {
      view.close();
    }
  }

  private async propose(data: Uint8Array): Promise<number> {
    if (this.proposer === undefined) {
      throw new StoreError(
        "not-writable",
        "this store has no proposer: writes go through a manager running Raft",
      );
    }
    const applied = (await this.proposer.propose(data)) as ApplyResult | undefined;
    assert(typeof applied?.ok === "boolean", "the proposer resolves with the apply result");
    if (!applied.ok) throw StoreError.from(applied.error);
    return applied.version;
  }

  private nextBatch(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        this.waiters.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      this.waiters.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  private wakeWatchers(): void {
    for (const wake of [...this.waiters]) wake();
  }
}

function assertSync<T>(value: T, what: string): T {
  assert(
    !(value instanceof Promise || typeof (value as { then?: unknown })?.then === "function"),
    `${what} callbacks are synchronous (a view must not outlive an await)`,
  );
  return value;
}
