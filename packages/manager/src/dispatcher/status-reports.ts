/** Task status updates from the wire, checked with the store's schema. */
import { RpcError, type UpdateTaskStatusRequest } from "@shoal/rpc";
import { TaskStatus } from "@shoal/store";

export interface StatusReport {
  readonly taskId: string;
  readonly status: TaskStatus;
}

/** Parses every update; a malformed one refuses the whole request (INVALID_ARGUMENT, naming it). */
export function parseStatusReports(updates: UpdateTaskStatusRequest["updates"]): StatusReport[] {
  return updates.map((update, i) => {
    const parsed = TaskStatus.safeParse(JSON.parse(update.status_json));
    if (!parsed.success) {
      const issues = parsed.error.issues.map(
        (issue) => `${issue.path.join(".") || "status"}: ${issue.message}`,
      );
      throw new RpcError(
        "INVALID_ARGUMENT",
        `UpdateTaskStatus: updates.${i} (task ${update.task_id}) is not a task status (${issues.join("; ")})`,
      );
    }
    return { taskId: update.task_id, status: parsed.data };
  });
}

/**
 * The reports with their timestamps on the manager's clock: each status keeps the age it had on
 * the agent's clock when sent (`sentAtMs`, same clock as the statuses), counted back from the
 * manager's `nowMs`. Without `sentAtMs` the reports are returned as they came.
 */
export function onManagerClock(
  reports: readonly StatusReport[],
  sentAtMs: number | undefined,
  nowMs: number,
): StatusReport[] {
  if (!sentAtMs) return [...reports];
  return reports.map(({ taskId, status }) => {
    const ageMs = Math.max(0, sentAtMs - status.timestampMs);
    return { taskId, status: { ...status, timestampMs: nowMs - ageMs } };
  });
}
