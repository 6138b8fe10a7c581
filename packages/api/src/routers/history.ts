import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import {
  AuditQuery,
  AuditRecord,
  EventQuery,
  EventRecord,
  StackRevisionQuery,
  StackRevisionRecord,
} from "../history/history-schemas.ts";
import { operatorProcedure, viewerProcedure } from "../trpc.ts";

/** This manager's copy of the history (every manager writes the same rows from the log). */
export const historyRouter = {
  audit: operatorProcedure
    .input(AuditQuery)
    .output(z.array(AuditRecord))
    .query(({ ctx, input }) => ctx.api.history.audit(input)),
  events: viewerProcedure
    .input(EventQuery)
    .output(z.array(EventRecord))
    .query(({ ctx, input }) => ctx.api.history.events(input)),
  stackRevisions: viewerProcedure
    .input(StackRevisionQuery)
    .output(z.array(StackRevisionRecord))
    .query(({ ctx, input }) => ctx.api.history.stackRevisions(input)),
} satisfies TRPCRouterRecord;
