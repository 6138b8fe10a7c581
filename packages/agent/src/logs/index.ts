export type { LogChannel, LogSource, PublishLogsBatch } from "./log-channel.ts";
export { DEFAULT_LOG_SERVING_LIMITS, type LogServingLimits, resolveLogServingLimits } from "./log-limits.ts";
export { LogServer, type LogServerOptions } from "./log-server.ts";
export { splitTimestamp } from "./log-timestamp.ts";
