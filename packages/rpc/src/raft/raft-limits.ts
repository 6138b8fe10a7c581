/** Named bounds of the gRPC Raft transport, validated when it is built. */
export interface GrpcRaftLimits {
  /** Max messages waiting for one peer; beyond it new messages are dropped and reported. */
  readonly sendQueueMessagesMax: number;
  /** Max encoded bytes waiting for one peer; beyond it new messages are dropped and reported. */
  readonly sendQueueBytesMax: number;
  /** Max messages in one batch written to the stream (outbound and accepted inbound). */
  readonly batchMessagesMax: number;
  /** A batch is closed before it grows past this (a single larger message travels alone). */
  readonly batchBytesMax: number;
  /** Max bytes of one encoded Raft message (a snapshot included); larger ones are dropped. */
  readonly messageBytesMax: number;
  /** First re-dial delay after a failure; doubles per failure up to reconnectDelayMaxMs. */
  readonly reconnectDelayMinMs: number;
  readonly reconnectDelayMaxMs: number;
  /** A dial that is not ready by then counts as failed. */
  readonly dialTimeoutMs: number;
}

export const GRPC_RAFT_LIMITS_DEFAULT: GrpcRaftLimits = {
  sendQueueMessagesMax: 4096,
  sendQueueBytesMax: 64 * 1024 * 1024,
  batchMessagesMax: 512,
  batchBytesMax: 4 * 1024 * 1024,
  messageBytesMax: 64 * 1024 * 1024,
  reconnectDelayMinMs: 25,
  reconnectDelayMaxMs: 1_000,
  dialTimeoutMs: 2_000,
};

export function resolveGrpcRaftLimits(partial: Partial<GrpcRaftLimits> = {}): GrpcRaftLimits {
  const limits = { ...GRPC_RAFT_LIMITS_DEFAULT, ...partial };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`raft transport: ${name} must be a positive integer, got ${value}`);
    }
  }
  if (limits.reconnectDelayMinMs > limits.reconnectDelayMaxMs) {
    throw new RangeError("raft transport: reconnectDelayMinMs must be <= reconnectDelayMaxMs");
  }
  if (limits.messageBytesMax > limits.sendQueueBytesMax) {
    throw new RangeError("raft transport: messageBytesMax must be <= sendQueueBytesMax");
  }
  return limits;
}
