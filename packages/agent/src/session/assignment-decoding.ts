/** Assignments messages from the wire into the agent's shapes, checked with the store's schemas. */
import type { AssignmentsMessage, AssignmentChange as WireChange } from "@shoal/rpc";
import { Config, Secret, Task } from "@shoal/store";
import { z } from "zod";
import type {
  AssignmentChange,
  AssignmentMessage,
  TaskAssignment,
  TaskFileChange,
  TaskFileObject,
} from "../session-interface.ts";

const TaskAssignmentSchema = z.object({
  task: Task,
  service: z.object({ id: z.string(), name: z.string(), labels: z.record(z.string(), z.string()) }),
});

/** Parses and checks one change's object; the message names the object, never its data. */
function parseChecked<T>(schema: z.ZodType<T>, change: WireChange, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(change.object_json);
  } catch {
    throw new Error(`assignment of ${what} ${change.id} is not JSON; the manager may run another version`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(
      `assignment of ${what} ${change.id} is malformed (${issues}); the manager may run another version`,
    );
  }
  return parsed.data;
}

function decodeAssignment(change: WireChange): TaskAssignment {
  return parseChecked(TaskAssignmentSchema, change, "task");
}

function decodeFile(change: WireChange): TaskFileObject {
  return change.kind === "SECRET"
    ? { kind: "secret", object: parseChecked(Secret, change, "secret") }
    : { kind: "config", object: parseChecked(Config, change, "config") };
}

function decodeFileChange(change: WireChange): TaskFileChange {
  if (change.action === "UPDATE") return { action: "update", file: decodeFile(change) };
  return { action: "remove", kind: change.kind === "SECRET" ? "secret" : "config", id: change.id };
}

export function decodeAssignmentsMessage(message: AssignmentsMessage): AssignmentMessage {
  const tasks = message.changes.filter((c) => c.kind === "TASK");
  const files = message.changes.filter((c) => c.kind === "SECRET" || c.kind === "CONFIG");
  if (message.type === "COMPLETE") {
    return {
      type: "complete",
      sequence: message.results_in,
      assignments: tasks.filter((c) => c.action === "UPDATE").map(decodeAssignment),
      files: files.filter((c) => c.action === "UPDATE").map(decodeFile),
    };
  }
  const changes: AssignmentChange[] = tasks.map((c) =>
    c.action === "UPDATE"
      ? { action: "update", assignment: decodeAssignment(c) }
      : { action: "remove", taskId: c.id },
  );
  return {
    type: "incremental",
    sequence: message.results_in,
    changes,
    fileChanges: files.map(decodeFileChange),
  };
}
