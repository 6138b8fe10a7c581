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
