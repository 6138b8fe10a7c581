/**
 * `internal.historyRange`: the leader's history rows of a Raft index range, for a manager whose
 * store was restored from a snapshot and so never saw the batches the snapshot replaced.
 */
import { type HistoryPage, HistoryRangeQuery } from "@shoal/api/history";
import { ControlError } from "@shoal/manager";
import type { LeaderContext } from "./control-procedures.ts";

export async function historyRange(ctx: LeaderContext, input: unknown): Promise<HistoryPage> {
  const parsed = HistoryRangeQuery.safeParse(input);
  if (!parsed.success) {
    throw new ControlError("invalid-argument", `invalid history range: ${parsed.error.issues[0]?.message}`);
  }
  if (ctx.exportHistory === undefined) {
    throw new ControlError(
      "failed-precondition",
      "the leader keeps no history database (it serves no HTTP API), so it has no history to copy",
    );
  }
  return ctx.exportHistory(parsed.data);
}
