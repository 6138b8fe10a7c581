import type { ChangeBatch, Store } from "@shoal/store";
import { StoreError } from "@shoal/store";
import { parseActor } from "../control/actor.ts";
import { auditRowOf, eventRowsOf } from "./change-summary.ts";
import { HISTORY_PROGRESS_ID, type HistoryPrisma } from "./history-database.ts";
import { type HistoryPage, importHistory } from "./history-transfer.ts";

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

/** The part of the client (or of one of its transactions) a stack revision is written with. */
type StackRevisionWriter = Pick<HistoryPrisma, "stackRevision">;

export interface HistoryWriterOptions {
  /** Write failures and history gaps (the loop keeps going). */
  readonly onError?: (error: unknown) => void;
  /**
   * Fetches the rows of a range this store's history no longer reaches (it was restored from a
   * snapshot) from another manager, usually the leader's `exportHistory`. Without it, or when it
   * fails, the range stays a gap (reported through onError).
   */
  readonly fetchMissing?: (range: { afterIndex: number; throughIndex: number }) => Promise<HistoryPage>;
  /** Named limit: how long a fill waits for the other manager to write the range itself. */
  readonly fillWaitMs?: number;
}

/** Default of HistoryWriterOptions.fillWaitMs. */
export const HISTORY_FILL_WAIT_MS = 10_000;
const FILL_RETRY_PAUSE_MS = 200;

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
    const row = await this.db.historyProgress.findUnique({ where: { id: HISTORY_PROGRESS_ID } });
    return row === null ? 0 : Number(row.lastIndex);
  }

  /** Writes one committed batch; false when it was already written. */
  async write(batch: ChangeBatch): Promise<boolean> {
    const audit = auditRowOf(batch);
    const events = eventRowsOf(batch);
    const revisions = stackRevisionsOf(batch);
    const index = BigInt(batch.version);
    return this.db.$transaction(async (tx) => {
      const progress = await tx.historyProgress.findUnique({ where: { id: HISTORY_PROGRESS_ID } });
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
      for (const revision of revisions) await this.recordStackRevision(revision, tx);
      await tx.historyProgress.upsert({
        where: { id: HISTORY_PROGRESS_ID },
        create: { id: HISTORY_PROGRESS_ID, lastIndex: index },
        update: { lastIndex: index },
      });
      return true;
    });
  }

  /**
   * Records a stack deployment; idempotent by its Raft index. `write` calls it, inside the batch's
   * database transaction, for every stack revision the log creates.
   */
  async recordStackRevision(input: StackRevisionInput, db: StackRevisionWriter = this.db): Promise<void> {
    const data = {
      stack: input.stack,
      revision: input.revision,
      raftIndex: BigInt(input.raftIndex),
      time: new Date(input.timeMs),
      actor: input.actor ?? null,
      yaml: input.yaml,
      specs: JSON.stringify(input.specs),
    };
    await db.stackRevision.upsert({ where: { raftIndex: data.raftIndex }, create: data, update: {} });
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
        for await (const batch of await this.watchFrom(from, signal)) await this.write(batch);
      } catch (error) {
        if (signal.aborted) return;
        this.options.onError?.(error);
        if (!(error instanceof StoreError)) await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  }

  /**
   * The store's history from `from`; when it no longer reaches back (a snapshot replaced it), the
   * missing range is fetched from another manager first, and what cannot be fetched is a gap.
   */
  private async watchFrom(from: number, signal: AbortSignal): Promise<AsyncIterable<ChangeBatch>> {
    try {
      return this.store.watch({ fromVersion: from, signal });
    } catch (error) {
      if (!(error instanceof StoreError) || error.code !== "resync-required") throw error;
      const { version, changes } = this.store.viewAndWatch(signal);
      const reached = await this.fill(from, version, signal);
      if (reached < version) {
        this.options.onError?.(
          new Error(
            `history gap: changes ${reached + 1}–${version} are no longer in the store's history and no other manager supplied them; continuing from ${version + 1}`,
          ),
        );
      }
      return changes;
    }
  }

  /** Imports (from, through] from another manager; returns the last index this database then holds. */
  private async fill(from: number, through: number, signal: AbortSignal): Promise<number> {
    const fetchMissing = this.options.fetchMissing;
    if (fetchMissing === undefined) return from;
    const waitMs = this.options.fillWaitMs ?? HISTORY_FILL_WAIT_MS;
    let reached = from;
    let stalledSince = Date.now();
    while (reached < through && !signal.aborted) {
      let page: HistoryPage;
      try {
        page = await fetchMissing({ afterIndex: reached, throughIndex: through });
      } catch (error) {
        this.options.onError?.(
          new Error(`could not fetch history ${reached + 1}–${through}: ${String(error)}`),
        );
        return reached;
      }
      if (page.throughIndex > reached) {
        await importHistory(this.db, page);
        reached = page.throughIndex;
        stalledSince = Date.now();
        continue;
      }
      // The other manager has not written this range yet (its writer lags the log), or never will.
      if (Date.now() - stalledSince > waitMs) return reached;
      await new Promise((r) => setTimeout(r, FILL_RETRY_PAUSE_MS));
    }
    return reached;
  }
}

/** The stack revisions a committed batch creates (a stack deploy's last transaction makes one). */
export function stackRevisionsOf(batch: ChangeBatch): StackRevisionInput[] {
  const actor = batch.actor === undefined ? undefined : parseActor(batch.actor).who;
  return batch.changes.flatMap((change) =>
    change.kind === "stackRevision" && change.action === "create"
      ? [
          {
            stack: change.object.spec.name,
            revision: change.object.spec.revision,
            raftIndex: batch.version,
            timeMs: batch.timeMs,
            ...(actor === undefined ? {} : { actor }),
            yaml: change.object.spec.yaml,
            specs: change.object.spec.services,
          },
        ]
      : [],
  );
}
