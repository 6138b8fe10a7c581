/** Named limits of the agent's log serving. */
export interface LogServingLimits {
  /** Lines per PublishLogs message (rpc's LOG_LINES_PER_MESSAGE_MAX at most). */
  readonly publishBatchLinesMax: number;
  /** A partly filled batch goes out this long after its first line. */
  readonly publishFlushMs: number;
  /** Subscriptions served at once; more are refused with a warning. */
  readonly subscriptionsMax: number;
  /** Pause before asking for subscriptions again after the stream failed. */
  readonly retryDelayMs: number;
}

export const DEFAULT_LOG_SERVING_LIMITS: LogServingLimits = {
  publishBatchLinesMax: 500,
  publishFlushMs: 50,
  subscriptionsMax: 100,
  retryDelayMs: 1_000,
};

export function resolveLogServingLimits(partial: Partial<LogServingLimits> = {}): LogServingLimits {
  const limits = { ...DEFAULT_LOG_SERVING_LIMITS, ...partial };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`log serving: ${name} must be a positive integer, got ${value}`);
  }
  if (limits.publishBatchLinesMax > 1_000)
    throw new Error("log serving: publishBatchLinesMax is at most 1000 (rpc's limit)");
  return limits;
}
