/** Named limits of the log broker, validated when it is built. */
export interface LogBrokerLimits {
  /** Lines held per subscription; publishers wait (gRPC flow control) while it is full. */
  readonly bufferedLinesMax: number;
  /** With follow, how long a line may wait for earlier lines of other tasks before it goes out. */
  readonly followReorderWindowMs: number;
  /** Subscriptions open at once on this leader. */
  readonly subscriptionsMax: number;
  /** Lines in one batch handed to the subscriber. */
  readonly deliveryBatchLinesMax: number;
  /** Subscription messages waiting to go out on one node's SubscribeLogs stream. */
  readonly nodeQueueMax: number;
  /** Tasks one subscription may name. */
  readonly subscriptionTasksMax: number;
}

export const DEFAULT_LOG_BROKER_LIMITS: LogBrokerLimits = {
  bufferedLinesMax: 10_000,
  followReorderWindowMs: 200,
  subscriptionsMax: 1_000,
  deliveryBatchLinesMax: 1_000,
  nodeQueueMax: 1_000,
  subscriptionTasksMax: 10_000,
};

export function resolveLogBrokerLimits(partial: Partial<LogBrokerLimits> = {}): LogBrokerLimits {
  const limits = { ...DEFAULT_LOG_BROKER_LIMITS, ...partial };
  for (const [name, value] of Object.entries(limits)) {
    const allowZero = name === "followReorderWindowMs";
    if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
      throw new Error(
        `log broker: ${name} must be a${allowZero ? " non-negative" : " positive"} integer, got ${value}`,
      );
    }
  }
  return limits;
}
