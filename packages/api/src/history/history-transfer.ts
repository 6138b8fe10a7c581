/**
 * Copying history between managers: a manager that installed a Raft snapshot (it joined after the
 * log was compacted, or fell far behind) never sees the batches the snapshot replaced, so it asks
 * the leader for the rows of that range (`exportHistory` on the leader, `importHistory` here).
 * Pages are bounded and end on a whole transaction; rows keep their Raft index, so an import is
 * idempotent by the same progress row the writer uses.
 */
import { z } from "zod";
import { HISTORY_PROGRESS_ID, type HistoryPrisma } from "./history-database.ts";

/**
 * Named limits of one page: rows per table. A transaction's rows are never split, so a page holds
 * more than a limit only when its first transaction alone does.
 */
export interface HistoryPageLimits {
  readonly events: number;
  readonly audit: number;
  /** Revisions carry their YAML and specs: fewer per page. */
  readonly revisions: number;
}

export const DEFAULT_HISTORY_PAGE_LIMITS: HistoryPageLimits = Object.freeze({
  events: 1_000,
  audit: 1_000,
  revisions: 50,
});

export const HistoryRangeQuery = z.object({
  /** Rows after this Raft index… */
  afterIndex: z.number().int().min(0),
  /** …through this one. */
  throughIndex: z.number().int().min(0),
});
export type HistoryRangeQuery = z.infer<typeof HistoryRangeQuery>;

const AuditRow = z.object({
  raftIndex: z.number().int(),
  timeMs: z.number(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  result: z.string(),
  changeCount: z.number().int(),
});
const EventRow = z.object({
  raftIndex: z.number().int(),
  seq: z.number().int(),
  timeMs: z.number(),
  kind: z.string(),
  action: z.string(),
  objectId: z.string(),
  name: z.string(),
  actor: z.string().nullable(),
  /** JSON text, as stored. */
  detail: z.string(),
});
const RevisionRow = z.object({
  stack: z.string(),
  revision: z.number().int(),
  raftIndex: z.number().int(),
  timeMs: z.number(),
  actor: z.string().nullable(),
  yaml: z.string(),
  /** JSON text, as stored. */
  specs: z.string(),
});

/** One page of history rows; the rows are every row with a Raft index in (afterIndex, throughIndex]. */
export const HistoryPage = z.object({
  afterIndex: z.number().int().min(0),
  /** Where this page ends; equal to afterIndex when the exporting manager has nothing newer yet. */
  throughIndex: z.number().int().min(0),
  /** The exporting manager's own progress (the last index its database holds). */
  sourceLastIndex: z.number().int().min(0),
  audit: z.array(AuditRow),
  events: z.array(EventRow),
  revisions: z.array(RevisionRow),
});
export type HistoryPage = z.infer<typeof HistoryPage>;

/**
 * The rows of (afterIndex, throughIndex], cut short at the page limits (on a transaction boundary)
 * and at this database's own progress: the page never claims an index this manager has not written.
 */
export async function exportHistory(
  db: HistoryPrisma,
  query: HistoryRangeQuery,
  pageLimits: Partial<HistoryPageLimits> = {},
): Promise<HistoryPage> {
  const q = HistoryRangeQuery.parse(query);
  const limits = { ...DEFAULT_HISTORY_PAGE_LIMITS, ...pageLimits };
  const progress = await db.historyProgress.findUnique({ where: { id: HISTORY_PROGRESS_ID } });
  const sourceLastIndex = progress === null ? 0 : Number(progress.lastIndex);
  let through = Math.min(q.throughIndex, sourceLastIndex);
  if (through <= q.afterIndex) return emptyPage(q.afterIndex, sourceLastIndex);
  const range = () => ({ raftIndex: { gt: BigInt(q.afterIndex), lte: BigInt(through) } });
  // Cut at the last transaction that fits each table's limit (always at least one transaction).
  for (const [table, max] of [
    [db.historyEvent, limits.events],
    [db.auditEntry, limits.audit],
    [db.stackRevision, limits.revisions],
  ] as const) {
    const over = await (table as typeof db.auditEntry).findFirst({
      where: range(),
      orderBy: { raftIndex: "asc" },
      skip: max,
      select: { raftIndex: true },
    });
    if (over !== null) through = Math.max(Number(over.raftIndex) - 1, firstIndexAfter(q.afterIndex));
  }
  const [audit, events, revisions] = await Promise.all([
    db.auditEntry.findMany({ where: range(), orderBy: { raftIndex: "asc" } }),
    db.historyEvent.findMany({ where: range(), orderBy: [{ raftIndex: "asc" }, { seq: "asc" }] }),
    db.stackRevision.findMany({ where: range(), orderBy: { raftIndex: "asc" } }),
  ]);
  return {
    afterIndex: q.afterIndex,
    throughIndex: through,
    sourceLastIndex,
    audit: audit.map(({ id: _id, raftIndex, time, ...row }) => ({
      ...row,
      raftIndex: Number(raftIndex),
      timeMs: time.getTime(),
    })),
    events: events.map(({ id: _id, raftIndex, time, ...row }) => ({
      ...row,
      raftIndex: Number(raftIndex),
      timeMs: time.getTime(),
    })),
    revisions: revisions.map(({ id: _id, raftIndex, time, ...row }) => ({
      ...row,
      raftIndex: Number(raftIndex),
      timeMs: time.getTime(),
    })),
  };
}

/**
 * Writes a page's rows this database does not hold yet (those above its progress) and moves the
 * progress to the page's end, in one database transaction. False when the page was already written.
 */
export async function importHistory(db: HistoryPrisma, input: HistoryPage): Promise<boolean> {
  const page = HistoryPage.parse(input);
  return db.$transaction(async (tx) => {
    const progress = await tx.historyProgress.findUnique({ where: { id: HISTORY_PROGRESS_ID } });
    const last = progress === null ? 0 : Number(progress.lastIndex);
    if (page.throughIndex <= last) return false;
    const fresh = <T extends { raftIndex: number }>(rows: readonly T[]) =>
      rows.filter((r) => r.raftIndex > last && r.raftIndex <= page.throughIndex);
    const audit = fresh(page.audit);
    if (audit.length > 0) {
      await tx.auditEntry.createMany({
        data: audit.map(({ timeMs, raftIndex, ...row }) => ({
          ...row,
          raftIndex: BigInt(raftIndex),
          time: new Date(timeMs),
        })),
      });
    }
    const events = fresh(page.events);
    if (events.length > 0) {
      await tx.historyEvent.createMany({
        data: events.map(({ timeMs, raftIndex, ...row }) => ({
          ...row,
          raftIndex: BigInt(raftIndex),
          time: new Date(timeMs),
        })),
      });
    }
    for (const { timeMs, raftIndex, ...row } of fresh(page.revisions)) {
      const data = { ...row, raftIndex: BigInt(raftIndex), time: new Date(timeMs) };
      await tx.stackRevision.upsert({ where: { raftIndex: data.raftIndex }, create: data, update: {} });
    }
    const lastIndex = BigInt(page.throughIndex);
    await tx.historyProgress.upsert({
      where: { id: HISTORY_PROGRESS_ID },
      create: { id: HISTORY_PROGRESS_ID, lastIndex },
      update: { lastIndex },
    });
    return true;
  });
}

function emptyPage(afterIndex: number, sourceLastIndex: number): HistoryPage {
  return { afterIndex, throughIndex: afterIndex, sourceLastIndex, audit: [], events: [], revisions: [] };
}

/** A page always moves forward by at least one index. */
function firstIndexAfter(index: number): number {
  return index + 1;
}
