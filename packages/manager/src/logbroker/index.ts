export { LogBroker, type LogBrokerOptions } from "./log-broker.ts";
export {
  DEFAULT_LOG_BROKER_LIMITS,
  type LogBrokerLimits,
  resolveLogBrokerLimits,
} from "./log-broker-limits.ts";
export { LogMerge } from "./log-merge.ts";
export type { LogLineMessage, LogMessage, LogRequest, LogStream, LogWarningMessage } from "./log-types.ts";
export * from "./log-wire.ts";
