/**
 * Which tasks a node is given and how a store change becomes assignment changes. Pure.
 *
 * A task belongs to a node's assignment set once the scheduler assigned it there (nodeId set and
 * observed state ASSIGNED or later) and stays in it until it is deleted: the agent keeps stopped
 * tasks' containers until then, as swarm does. Changes an agent made itself (its own status
 * reports) are not echoed back.
 */
import type { AssignmentChange } from "@shoal/rpc";
import type { Config, Secret, Service, Task } from "@shoal/store";
import { TaskState } from "@shoal/store";
import { sameJson } from "./same-json.ts";

/** The service facts an agent needs with each task (its containers' names and labels). */
export interface ServiceInfo {
  readonly id: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** One node's view of a task change. */
export type NodeTaskChange =
  | { readonly nodeId: string; readonly action: "update"; readonly task: Task }
  | { readonly nodeId: string; readonly action: "remove"; readonly taskId: string };

export function isAssigned(task: Task): boolean {
  return task.nodeId !== "" && task.status.state >= TaskState.Assigned;
}

export function serviceInfo(service: Service | undefined, serviceId: string): ServiceInfo {
  if (!service) return { id: serviceId, name: "", labels: {} };
  return { id: service.id, name: service.spec.name, labels: service.spec.labels };
}

/** What a task's create, update or delete means for the nodes concerned. */
export function taskChangeForNodes(
  action: "create" | "update" | "delete",
  task: Task,
  old?: Task,
): NodeTaskChange[] {
  if (action === "delete")
    return isAssigned(task) ? [{ nodeId: task.nodeId, action: "remove", taskId: task.id }] : [];
  const was = old !== undefined && isAssigned(old);
  const is = isAssigned(task);
  const out: NodeTaskChange[] = [];
  if (was && old && (!is || old.nodeId !== task.nodeId)) {
    out.push({ nodeId: old.nodeId, action: "remove", taskId: task.id });
  }
  if (!is) return out;
  if (was && old && old.nodeId === task.nodeId && onlyStatusChanged(old, task)) return out;
  out.push({ nodeId: task.nodeId, action: "update", task });
  return out;
}

/** True when the agent already knows everything that changed (its own status report). */
function onlyStatusChanged(old: Task, task: Task): boolean {
  if (task.status.state <= TaskState.Assigned) return false;
  const { status: _s1, version: _v1, updatedAtMs: _u1, ...a } = old;
  const { status: _s2, version: _v2, updatedAtMs: _u2, ...b } = task;
  return sameJson(a, b);
}

/** The service facts changed in a way the agent must hear about. */
export function serviceInfoChanged(old: Service | undefined, service: Service): boolean {
  if (!old) return false;
  return old.spec.name !== service.spec.name || !sameJson(old.spec.labels, service.spec.labels);
}

/** A task as it travels in an assignments message: `{ task, service }` as JSON. */
export function encodeTaskUpdate(task: Task, service: ServiceInfo): AssignmentChange {
  return { action: "UPDATE", kind: "TASK", id: task.id, object_json: JSON.stringify({ task, service }) };
}

export function encodeTaskRemoval(taskId: string): AssignmentChange {
  return { action: "REMOVE", kind: "TASK", id: taskId, object_json: "" };
}

/** A secret (data included, base64 as the store keeps it) or config sent to a node that needs it. */
export function encodeFileUpdate(kind: "SECRET", object: Secret): AssignmentChange;
export function encodeFileUpdate(kind: "CONFIG", object: Config): AssignmentChange;
export function encodeFileUpdate(kind: "SECRET" | "CONFIG", object: Secret | Config): AssignmentChange {
  return { action: "UPDATE", kind, id: object.id, object_json: JSON.stringify(object) };
}

export function encodeFileRemoval(kind: "SECRET" | "CONFIG", id: string): AssignmentChange {
  return { action: "REMOVE", kind, id, object_json: "" };
}

/**
 * Splits changes into messages of at most `changesMax` changes and about `charsMax` JSON
 * characters (a single larger change goes alone).
 */
export function chunkChanges(
  changes: readonly AssignmentChange[],
  changesMax: number,
  charsMax: number,
): AssignmentChange[][] {
  const chunks: AssignmentChange[][] = [];
  let chunk: AssignmentChange[] = [];
  let chars = 0;
  for (const change of changes) {
    const size = change.object_json.length + change.id.length + 16;
    if (chunk.length > 0 && (chunk.length >= changesMax || chars + size > charsMax)) {
      chunks.push(chunk);
      chunk = [];
      chars = 0;
    }
    chunk.push(change);
    chars += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
