import type { ChangeBatch, Store } from "@shoal/store";
import { StoreError } from "@shoal/store";
import { auditRowOf, eventRowsOf } from "./change-summary.ts";
import type { HistoryPrisma } from "./history-database.ts";

/** The one HistoryProgress row. */
const PROGRESS_ID = 1;

export interface StackRevisionInput {
  readonly stack: string;
  readonly revision: number;
  /** The Raft index of the transaction that deployed it (the idempotency key). */
  readonly raftIndex: number;
  readonly timeMs: number;
  readonly actor?: string;
  readonly yaml: string;
  readonly specs: readonly unknown[];
}

export interface HistoryWriterOptions {
  /** Write failures and history gaps (the loop keeps going). */
  readonly onError?: (error: unknown) => void;
}

/**
 * Writes this manager's history from the committed log, idempotently by log index: a batch at or
 * below the recorded progress is skipped, and each batch's rows and the new progress are written in
 * one database transaction. Every manager runs one, so every copy shows the same history.
 */
export class HistoryWriter {
  private readonly stopper = new AbortController();
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: HistoryPrisma,
    private readonly store: Store,
    private readonly options: HistoryWriterOptions = {},
  ) {}

  /** The last Raft index written (0 for a new database). */
  async lastIndex(): Promise<number> {
    const row = await this.db.historyProgress.findUnique({ where: { id: PROGRESS_ID } });
    return row === null ? 0 : Number(row.lastIndex);
  }

  /** Writes one committed batch; false when it was already written. */
  async write(batch: ChangeBatch): Promise<boolean> {
    const audit = auditRowOf(batch);
    const events = eventRowsOf(batch);
    const index = BigInt(batch.version);
    return this.db.$transaction(async (tx) => {
      const progress = await tx.historyProgress.findUnique({ where: { id: PROGRESS_ID } });
      if (progress !== null && progress.lastIndex >= index) return false;
      if (audit !== undefined) {
        const { timeMs, ...row } = audit;
        await tx.auditEntry.create({ data: { ...row, raftIndex: index, time: new Date(timeMs) } });
      }
      if (events.length > 0) {
        await tx.historyEvent.createMany({
          data: events.map((e) => ({
            raftIndex: index,
            seq: e.seq,
            time: new Date(e.timeMs),
            kind: e.kind,
            action: e.action,
            objectId: e.objectId,
            name: e.name,
            actor: e.actor,
            detail: JSON.stringify(e.detail),
          })),
        });
      }
      await tx.historyProgress.upsert({
        where: { id: PROGRESS_ID },
        create: { id: PROGRESS_ID, lastIndex: index },
        update: { lastIndex: index },
      });
      return true;
    });
  }

  /** Records a stack deployment; idempotent by its Raft index. */
  async recordStackRevision(input: StackRevisionInput): Promise<void> {
    const data = {
      stack: input.stack,
      revision: input.revision,
      raftIndex: BigInt(input.raftIndex),
      time: new Date(input.timeMs),
      actor: input.actor ?? null,
      yaml: input.yaml,
      specs: JSON.stringify(input.specs),
    };
    await this.db.stackRevision.upsert({ where: { raftIndex: data.raftIndex }, create: data, update: {} });
  }

  /** Follows the store from the recorded progress until stop(). */
  start(): void {
    this.done = this.run(this.stopper.signal);
  }

  /** Idempotent; waits for the batch being written. */
  async stop(): Promise<void> {
    this.stopper.abort();
    await this.done;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const from = await this.lastIndex();
        for await (const batch of this.watchFrom(from, signal)) await this.write(batch);
      } catch (error) {
        if (signal.aborted) return;
        this.options.onError?.(error);
        if (!(error instanceof StoreError)) await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  }

  /** The store's history from `from`, or, when it no longer reaches back, from now (a gap). */
  private watchFrom(from: number, signal: AbortSignal): AsyncIterable<ChangeBatch> {
    try {
      return this.store.watch({ fromVersion: from, signal });
    } catch (error) {
      if (!(error instanceof StoreError) || error.code !== "resync-required") throw error;
      this.options.onError?.(
        new Error(
          `history gap: changes after ${from} are no longer in the store's history; continuing from now`,
        ),
      );
      return this.store.viewAndWatch(signal).changes;
    }
  }
}
