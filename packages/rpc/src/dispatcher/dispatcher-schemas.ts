/**
 * Wire shapes of the dispatcher (proto/dispatcher.proto), checked at both ends. Store objects
 * travel as JSON text: this layer checks that it parses and stays under a size bound; the agent and
 * the manager check its shape with @shoal/store's schemas.
 */
import { z } from "zod";

/** Largest JSON text of one object (task, node, secret, config, status). */
export const OBJECT_JSON_CHARS_MAX = 1024 * 1024;
/** Most changes in one assignments message and most status updates in one batch. */
export const ASSIGNMENT_CHANGES_MAX = 10_000;
export const TASK_STATUS_UPDATES_MAX = 1_000;

const id = z.string().min(1).max(64);
const sessionId = z.string().min(1).max(128);
const jsonText = z
  .string()
  .max(OBJECT_JSON_CHARS_MAX)
  .refine((text) => text === "" || isJson(text), "must be JSON");

export const NodeDescription = z.object({
  hostname: z.string().max(253),
  os: z.string().max(64),
  architecture: z.string().max(64),
  nano_cpus: z.number().int().nonnegative(),
  memory_bytes: z.number().int().nonnegative(),
  engine_version: z.string().max(64),
  engine_labels: z.record(z.string().max(256), z.string().max(4096)),
});
export type NodeDescription = z.infer<typeof NodeDescription>;

export const SessionRequest = z.object({
  description: NodeDescription.nullable(),
  session_id: z.string().max(128),
});
export type SessionRequest = z.infer<typeof SessionRequest>;

export const WeightedManager = z.object({
  node_id: id,
  addr: z.string().min(3).max(300),
  weight: z.number().int().nonnegative(),
});
export const SessionMessage = z.object({
  session_id: sessionId,
  node_json: jsonText,
  managers: z.array(WeightedManager).max(1_000),
  root_ca_pem: z.string().max(64 * 1024),
});
export type SessionMessage = z.infer<typeof SessionMessage>;

export const HeartbeatRequest = z.object({ session_id: sessionId });
export type HeartbeatRequest = z.infer<typeof HeartbeatRequest>;
export const HeartbeatResponse = z.object({ period_ms: z.number().int().positive() });
export type HeartbeatResponse = z.infer<typeof HeartbeatResponse>;

export const AssignmentsRequest = z.object({ session_id: sessionId });
export type AssignmentsRequest = z.infer<typeof AssignmentsRequest>;

export const AssignmentChange = z.object({
  action: z.enum(["UPDATE", "REMOVE"]),
  kind: z.enum(["TASK", "SECRET", "CONFIG"]),
  id,
  object_json: jsonText,
});
export type AssignmentChange = z.infer<typeof AssignmentChange>;

export const AssignmentsMessage = z
  .object({
    type: z.enum(["COMPLETE", "INCREMENTAL"]),
    applies_to: z.number().int().nonnegative(),
    results_in: z.number().int().positive(),
    changes: z.array(AssignmentChange).max(ASSIGNMENT_CHANGES_MAX),
  })
  .refine((m) => m.results_in > m.applies_to, "results_in must be greater than applies_to");
export type AssignmentsMessage = z.infer<typeof AssignmentsMessage>;

export const EndpointsRequest = z.object({ session_id: sessionId });
export type EndpointsRequest = z.infer<typeof EndpointsRequest>;
/** Most services in one endpoints message. */
export const ENDPOINT_SERVICES_MAX = 10_000;
export const EndpointsMessage = z.object({
  type: z.enum(["COMPLETE", "INCREMENTAL"]),
  services_json: z.array(jsonText.pipe(z.string().min(2))).max(ENDPOINT_SERVICES_MAX),
  removed_service_ids: z.array(id).max(ENDPOINT_SERVICES_MAX),
});
export type EndpointsMessage = z.infer<typeof EndpointsMessage>;

export const TaskStatusUpdate = z.object({ task_id: id, status_json: jsonText.pipe(z.string().min(2)) });
export const UpdateTaskStatusRequest = z.object({
  session_id: sessionId,
  updates: z.array(TaskStatusUpdate).min(1).max(TASK_STATUS_UPDATES_MAX),
  /** The agent's clock at sending; 0 or absent when not given. */
  sent_at_ms: z.number().int().nonnegative().optional(),
});
export type UpdateTaskStatusRequest = z.infer<typeof UpdateTaskStatusRequest>;
export const UpdateTaskStatusResponse = z.object({});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
