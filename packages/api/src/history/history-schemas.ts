import { z } from "zod";

const Limit = z.number().int().min(1).max(1_000).default(100);
/** Newest first; `beforeIndex` pages back (the raft index of the oldest row already shown). */
const Page = { limit: Limit, beforeIndex: z.number().int().min(1).optional() };

export const AuditQuery = z.object({ ...Page, actor: z.string().min(1).optional() }).prefault({});
export type AuditQuery = z.input<typeof AuditQuery>;
export const EventQuery = z
  .object({ ...Page, kind: z.string().min(1).optional(), objectId: z.string().min(1).optional() })
  .prefault({});
export type EventQuery = z.input<typeof EventQuery>;
export const StackRevisionQuery = z.object({ stack: z.string().min(1), limit: Limit });
export type StackRevisionQuery = z.input<typeof StackRevisionQuery>;

export const AuditRecord = z.object({
  raftIndex: z.number(),
  timeMs: z.number(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  result: z.string(),
  changeCount: z.number(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

export const EventRecord = z.object({
  raftIndex: z.number(),
  seq: z.number(),
  timeMs: z.number(),
  kind: z.string(),
  action: z.string(),
  objectId: z.string(),
  name: z.string(),
  actor: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type EventRecord = z.infer<typeof EventRecord>;

export const StackRevisionRecord = z.object({
  stack: z.string(),
  revision: z.number(),
  raftIndex: z.number(),
  timeMs: z.number(),
  actor: z.string().nullable(),
  yaml: z.string(),
  specs: z.array(z.unknown()),
});
export type StackRevisionRecord = z.infer<typeof StackRevisionRecord>;
