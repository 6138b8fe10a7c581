export type { LogChannel, LogSource, PublishLogsBatch } from "./log-channel.ts";
export type { LogServingLimits } from "./log-limits.ts";
export { LogServer, type LogServerOptions } from "./log-server.ts";
