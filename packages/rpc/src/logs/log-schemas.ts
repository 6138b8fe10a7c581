/**
 * Wire shapes of log streaming: the dispatcher's SubscribeLogs / PublishLogs (agent ↔ leader) and
 * the control service's SubscribeLogs (follower → leader). Checked at both ends.
 */
import { z } from "zod";

/** Most lines in one PublishLogs message or one LogsBatch. */
export const LOG_LINES_PER_MESSAGE_MAX = 1_000;
/** Largest line (bytes); the agent splits longer ones. */
export const LOG_LINE_BYTES_MAX = 64 * 1024;
/** Most tasks one subscription names (a node is sent only its own). */
export const LOG_SUBSCRIPTION_TASKS_MAX = 10_000;
/** `tail` meaning "every line". */
export const TAIL_ALL = -1;

const id = z.string().min(1).max(64);
const subscriptionId = z.string().min(1).max(128);
const stream = z.enum(["stdout", "stderr"]);
const data = z.instanceof(Buffer).refine((b) => b.length <= LOG_LINE_BYTES_MAX, "line too long");
const tail = z
  .number()
  .int()
  .min(TAIL_ALL)
  .max(2 ** 31 - 1);

export const SubscribeLogsRequest = z.object({ session_id: z.string().min(1).max(128) });
export type SubscribeLogsRequest = z.infer<typeof SubscribeLogsRequest>;

export const SubscribeLogsMessage = z.object({
  subscription_id: subscriptionId,
  task_ids: z.array(id).max(LOG_SUBSCRIPTION_TASKS_MAX),
  follow: z.boolean(),
  since_ms: z.number().int().nonnegative(),
  tail,
  close: z.boolean(),
});
export type SubscribeLogsMessage = z.infer<typeof SubscribeLogsMessage>;

export const LogLine = z.object({
  task_id: id,
  stream,
  timestamp_ms: z.number().int().nonnegative(),
  data,
});
export type LogLine = z.infer<typeof LogLine>;

export const PublishLogsRequest = z.object({
  session_id: z.string().max(128),
  subscription_id: subscriptionId,
  lines: z.array(LogLine).max(LOG_LINES_PER_MESSAGE_MAX),
  close: z.boolean(),
  finished_task_ids: z.array(id).max(LOG_SUBSCRIPTION_TASKS_MAX),
  warnings: z.array(z.string().max(4096)).max(LOG_LINES_PER_MESSAGE_MAX),
});
export type PublishLogsRequest = z.infer<typeof PublishLogsRequest>;

export const LogsRequest = z.object({
  service_ids: z.array(id).max(LOG_SUBSCRIPTION_TASKS_MAX),
  task_ids: z.array(id).max(LOG_SUBSCRIPTION_TASKS_MAX),
  follow: z.boolean(),
  since_ms: z.number().int().nonnegative(),
  tail,
});
export type LogsRequest = z.infer<typeof LogsRequest>;

export const LogsEntry = z.object({
  task_id: z.string().max(64),
  node_id: z.string().max(64),
  stream: z.enum(["stdout", "stderr", ""]),
  timestamp_ms: z.number().int().nonnegative(),
  data,
  warning: z.string().max(4096),
});
export type LogsEntry = z.infer<typeof LogsEntry>;

export const LogsBatch = z.object({ entries: z.array(LogsEntry).max(LOG_LINES_PER_MESSAGE_MAX) });
export type LogsBatch = z.infer<typeof LogsBatch>;
