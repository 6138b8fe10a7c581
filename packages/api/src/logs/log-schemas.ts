/**
 * The logs contract: the input of `services.logs`, `tasks.logs` and `stacks.logs` (docker's
 * `service logs` options) and the events they stream. The CLI and the dashboard validate with
 * these same schemas.
 */
import { z } from "zod";

/** Most lines `tail` may ask for per task. */
export const LOG_TAIL_MAX = 100_000;

export const LogOptionsInput = z.object({
  /** Keep streaming new lines until the client goes away. */
  follow: z.boolean().default(false),
  /** Lines from the end of each task's log; "all" (the default) for everything. */
  tail: z.union([z.literal("all"), z.number().int().min(0).max(LOG_TAIL_MAX)]).default("all"),
  /** Only lines since: a duration back from now ("10m", "1h30m"), RFC 3339, or Unix seconds. */
  since: z.string().min(1).max(64).optional(),
  /** Put each line's time in `text` (the line's `timestampMs` is always there). */
  timestamps: z.boolean().default(false),
});
export type LogOptionsInput = z.input<typeof LogOptionsInput>;

/** `service logs SERVICE|TASK`: a service (name, id or id prefix), or else a task. */
export const ServiceLogsInput = LogOptionsInput.extend({ service: z.string().min(1).max(200) });
export type ServiceLogsInput = z.input<typeof ServiceLogsInput>;

export const TaskLogsInput = LogOptionsInput.extend({ task: z.string().min(1).max(200) });
export type TaskLogsInput = z.input<typeof TaskLogsInput>;

/** `stack logs NAME` (Shoal only): every service of the stack, merged in time order. */
export const StackLogsInput = LogOptionsInput.extend({ stack: z.string().min(1).max(200) });
export type StackLogsInput = z.input<typeof StackLogsInput>;

export const LogLineEvent = z.object({
  type: z.literal("line"),
  taskId: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  /** 1..replicas; 0 for a global service's task. */
  slot: z.number().int(),
  nodeId: z.string(),
  nodeName: z.string(),
  /** Docker's context prefix: `name.slot.taskid@node` (`name.taskid@node` for global tasks). */
  context: z.string(),
  stream: z.enum(["stdout", "stderr"]),
  timestampMs: z.number().int(),
  line: z.string(),
  /** The line as `service logs` prints it: `[time ]context | line`. */
  text: z.string(),
});
export type LogLineEvent = z.infer<typeof LogLineEvent>;

/** Part of the stream ended early (a node went away) or could not start. */
export const LogWarningEvent = z.object({
  type: z.literal("warning"),
  nodeId: z.string(),
  message: z.string(),
});
export type LogWarningEvent = z.infer<typeof LogWarningEvent>;

export const LogEvent = z.discriminatedUnion("type", [LogLineEvent, LogWarningEvent]);
export type LogEvent = z.infer<typeof LogEvent>;

/** One message of a logs subscription: events in time order (per task always). */
export const LogBatch = z.object({ events: z.array(LogEvent) });
export type LogBatch = z.infer<typeof LogBatch>;
