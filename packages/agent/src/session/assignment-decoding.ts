/** Assignments messages from the wire into the agent's shapes, checked with the store's schemas. */
import type { AssignmentsMessage, AssignmentChange as WireChange } from "@shoal/rpc";
import { Task } from "@shoal/store";
import { z } from "zod";
import type { AssignmentChange, AssignmentMessage, TaskAssignment } from "../session-interface.ts";

const TaskAssignmentSchema = z.object({
  task: Task,
  service: z.object({ id: z.string(), name: z.string(), labels: z.record(z.string(), z.string()) }),
});

function decodeAssignment(change: WireChange): TaskAssignment {
  const parsed = TaskAssignmentSchema.safeParse(JSON.parse(change.object_json));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(
      `assignment of task ${change.id} is malformed (${issues}); the manager may run another version`,
    );
  }
  return parsed.data;
}

/** Secrets and configs are not applied yet: only task changes are passed on. */
export function decodeAssignmentsMessage(message: AssignmentsMessage): AssignmentMessage {
  const tasks = message.changes.filter((c) => c.kind === "TASK");
  if (message.type === "COMPLETE") {
    return {
      type: "complete",
      sequence: message.results_in,
      assignments: tasks.filter((c) => c.action === "UPDATE").map(decodeAssignment),
    };
  }
  const changes: AssignmentChange[] = tasks.map((c) =>
    c.action === "UPDATE"
      ? { action: "update", assignment: decodeAssignment(c) }
      : { action: "remove", taskId: c.id },
  );
  return { type: "incremental", sequence: message.results_in, changes };
}
