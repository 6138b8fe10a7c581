import type { HistoryPrisma } from "./history-database.ts";
import {
  AuditQuery,
  type AuditRecord,
  EventQuery,
  type EventRecord,
  StackRevisionQuery,
  type StackRevisionRecord,
} from "./history-schemas.ts";

/** Queries over this manager's history (what the history router calls). */
export interface HistoryReader {
  audit(query?: AuditQuery): Promise<AuditRecord[]>;
  events(query?: EventQuery): Promise<EventRecord[]>;
  stackRevisions(query: StackRevisionQuery): Promise<StackRevisionRecord[]>;
}

export class PrismaHistoryReader implements HistoryReader {
  constructor(private readonly db: HistoryPrisma) {}

  async audit(query: AuditQuery = {}): Promise<AuditRecord[]> {
    const q = AuditQuery.parse(query);
    const rows = await this.db.auditEntry.findMany({
      where: {
        ...(q.actor === undefined ? {} : { actor: q.actor }),
        ...(q.beforeIndex === undefined ? {} : { raftIndex: { lt: BigInt(q.beforeIndex) } }),
      },
      orderBy: { raftIndex: "desc" },
      take: q.limit,
    });
    return rows.map((r) => ({
      raftIndex: Number(r.raftIndex),
      timeMs: r.time.getTime(),
      actor: r.actor,
      action: r.action,
      target: r.target,
      result: r.result,
      changeCount: r.changeCount,
    }));
  }

  async events(query: EventQuery = {}): Promise<EventRecord[]> {
    const q = EventQuery.parse(query);
    const rows = await this.db.historyEvent.findMany({
      where: {
        ...(q.kind === undefined ? {} : { kind: q.kind }),
        ...(q.objectId === undefined ? {} : { objectId: q.objectId }),
        ...(q.beforeIndex === undefined ? {} : { raftIndex: { lt: BigInt(q.beforeIndex) } }),
      },
      orderBy: [{ raftIndex: "desc" }, { seq: "asc" }],
      take: q.limit,
    });
    return rows.map((r) => ({
      raftIndex: Number(r.raftIndex),
      seq: r.seq,
      timeMs: r.time.getTime(),
      kind: r.kind,
      action: r.action,
      objectId: r.objectId,
      name: r.name,
      actor: r.actor,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }

  async stackRevisions(query: StackRevisionQuery): Promise<StackRevisionRecord[]> {
    const q = StackRevisionQuery.parse(query);
    const rows = await this.db.stackRevision.findMany({
      where: { stack: q.stack },
      orderBy: { revision: "desc" },
      take: q.limit,
    });
    return rows.map((r) => ({
      stack: r.stack,
      revision: r.revision,
      raftIndex: Number(r.raftIndex),
      timeMs: r.time.getTime(),
      actor: r.actor,
      yaml: r.yaml,
      specs: JSON.parse(r.specs) as unknown[],
    }));
  }
}
