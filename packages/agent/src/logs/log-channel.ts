import type { ClientStreamCall, PublishLogsRequest, SubscribeLogsMessage } from "@shoal/rpc";
import type { LogOptions, LogRecord } from "../executor/executor.ts";

/** A publish request without the session (the channel adds it). */
export type PublishLogsBatch = Omit<PublishLogsRequest, "session_id">;

/** The agent's log wire to the leader's broker; implemented by AgentSession. */
export interface LogChannel {
  /** The subscriptions to serve, for one session; ends when the session does (call it again then). */
  logSubscriptions(signal: AbortSignal): AsyncIterable<SubscribeLogsMessage>;
  /** A PublishLogs stream for one subscription on the open session (undefined: no session). */
  openLogPublisher(signal: AbortSignal): Promise<ClientStreamCall<PublishLogsBatch, unknown> | undefined>;
}

/** Where the lines come from: the Agent's `logs`. */
export interface LogSource {
  logs(taskId: string, options: LogOptions, signal: AbortSignal): AsyncIterable<LogRecord>;
}
