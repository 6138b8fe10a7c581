import { z } from "zod";
import { Count, Milliseconds, ObjectId, ObjectMeta } from "./common.ts";
import { Endpoint } from "./service.ts";
import { TaskSpec } from "./task-spec.ts";
import { TaskState } from "./task-state.ts";

export const TaskStateSchema = z.enum(TaskState);

/** The observed status, reported by the manager up to ASSIGNED and by the agent after. */
export const TaskStatus = z.object({
  state: TaskStateSchema,
  message: z.string(),
  /** Why the task failed, when it did. */
  err: z.string().optional(),
  timestampMs: Milliseconds,
  containerId: z.string().optional(),
  exitCode: z.number().int().optional(),
  /** Ports bound on the host for host-mode publishing. */
  hostPorts: z.array(z.number().int().min(1).max(65_535)).optional(),
  /**
   * Which host port each published target port is bound to (ingress ports too: the routing mesh
   * of every node forwards to `node address:hostPort`).
   */
  portBindings: z
    .array(
      z.object({
        protocol: z.enum(["tcp", "udp"]),
        targetPort: z.number().int().min(1).max(65_535),
        hostPort: z.number().int().min(1).max(65_535),
      }),
    )
    .max(1_000)
    .optional(),
});
export type TaskStatus = z.infer<typeof TaskStatus>;

export const NetworkAttachment = z.object({
  networkId: ObjectId,
  /** CIDR addresses (10.0.1.5/24) allocated to the task on this network. */
  addresses: z.array(z.string()),
  aliases: z.array(z.string()),
});
export type NetworkAttachment = z.infer<typeof NetworkAttachment>;

/** Named limit: restart attempts kept on a task (older ones are dropped by whoever appends). */
export const RESTART_HISTORY_MAX = 32;

/**
 * One earlier task in the same slot (or on the same node for global services) that ended and was
 * replaced. Kept on the replacement so that restart policies (max attempts in a window) survive a
 * leader change, which swarm's in-memory restart history does not.
 */
export const RestartAttempt = z.object({
  taskId: ObjectId,
  atMs: Milliseconds,
  state: TaskStateSchema,
});
export type RestartAttempt = z.infer<typeof RestartAttempt>;

export const Task = z.object({
  ...ObjectMeta,
  serviceId: ObjectId,
  /** 1..replicas for replicated services; 0 for global services (which use nodeId instead). */
  slot: Count,
  /** Empty until the scheduler assigns the task. */
  nodeId: ObjectId.or(z.literal("")),
  /** A copy of the service's task template when the task was made. */
  spec: TaskSpec,
  /** The service spec version (Raft index) the task was made from. */
  serviceVersion: Count,
  desiredState: TaskStateSchema,
  status: TaskStatus,
  networksAttachments: z.array(NetworkAttachment),
  /** A copy of the service's endpoint when the task was allocated. */
  endpoint: Endpoint.optional(),
  restartHistory: z.array(RestartAttempt).max(RESTART_HISTORY_MAX),
});
export type Task = z.infer<typeof Task>;
