/**
 * Task status reported by agents, as the dispatcher writes it: only the node a task is assigned
 * to may change it, only to states the agent owns (after ASSIGNED), and never backwards. A
 * status equal to the stored one writes nothing.
 */
import { TaskState, type TaskStatus, type WriteTx } from "@shoal/store";
import { sameJson } from "./same-json.ts";

export interface ReportedStatus {
  readonly nodeId: string;
  readonly status: TaskStatus;
}

/** Why a report is not written, or undefined when it should be. */
export function refuseReport(
  task: { readonly nodeId: string; readonly status: TaskStatus } | undefined,
  report: ReportedStatus,
): "unknown-task" | "not-owner" | "manager-state" | "backwards" | "unchanged" | undefined {
  if (!task) return "unknown-task";
  if (task.nodeId !== report.nodeId) return "not-owner";
  if (report.status.state <= TaskState.Assigned) return "manager-state";
  if (report.status.state < task.status.state) return "backwards";
  if (sameJson(report.status, task.status)) return "unchanged";
  return undefined;
}

/** Two reports for one task before a flush: the one further along wins (the later on a tie). */
export function mergeReport(pending: ReportedStatus | undefined, next: ReportedStatus): ReportedStatus {
  if (!pending || pending.nodeId !== next.nodeId) return next;
  return next.status.state >= pending.status.state ? next : pending;
}

export function writeReport(tx: WriteTx, taskId: string, report: ReportedStatus): boolean {
  const task = tx.tasks.get(taskId);
  if (refuseReport(task, report) !== undefined || !task) return false;
  tx.update("task", { ...task, status: report.status });
  return true;
}
