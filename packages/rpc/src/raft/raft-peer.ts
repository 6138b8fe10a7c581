/**
 * The outbound side of the gRPC Raft transport for one peer: one long-lived ProcessRaftMessage
 * client stream on its own channel, written in batches with backpressure. Queueing, the
 * connection states and re-dialling with backoff are ReconnectingPeer's (shared with the TCP
 * transport); when the stream breaks, queued messages are dropped and reported unreachable
 * (Raft retries from its own log).
 */
import * as grpc from "@grpc/grpc-js";
import type { Logger, NodeId } from "@shoal/raft";
import { ReconnectingPeer } from "@shoal/raft/transport";
import type { GrpcRaftLimits } from "./raft-limits.ts";

/** Builds a Raft client for an address (the transport owns credentials and channel options). */
export type RaftClientFactory = (address: string) => grpc.Client;

interface RaftStreamClient extends grpc.Client {
  ProcessRaftMessage(callback: (err: grpc.ServiceError | null) => void): grpc.ClientWritableStream<unknown>;
}

export class GrpcRaftPeer extends ReconnectingPeer {
  private client: RaftStreamClient | undefined;
  private stream: grpc.ClientWritableStream<unknown> | undefined;

  constructor(
    id: NodeId,
    address: string,
    private readonly newClient: RaftClientFactory,
    private readonly limits: GrpcRaftLimits,
    logger: Logger,
    reportUnreachable: (peer: NodeId) => void,
  ) {
    super(id, address, {
      queue: { messagesMax: limits.sendQueueMessagesMax, bytesMax: limits.sendQueueBytesMax },
      backoff: { delayMinMs: limits.reconnectDelayMinMs, delayMaxMs: limits.reconnectDelayMaxMs },
      logger,
      logPrefix: "raft transport",
      reportUnreachable,
    });
    this.start();
  }

  protected override refuses(payload: Uint8Array): boolean {
    if (payload.length <= this.limits.messageBytesMax) return false;
    this.logger.warn("raft transport: dropping a message over the size limit", {
      peer: this.id,
      bytes: payload.length,
      messageBytesMax: this.limits.messageBytesMax,
    });
    return true;
  }

  protected connect(address: string): void {
    const client = this.newClient(address) as RaftStreamClient;
    this.client = client;
    client.waitForReady(Date.now() + this.limits.dialTimeoutMs, (err) => {
      if (this.client !== client || this.isClosed()) return;
      if (err) {
        this.logger.debug("raft transport: dial failed", { peer: this.id, address, error: err.message });
        this.onDisconnected();
        return;
      }
      this.openStream(client);
    });
  }

  private openStream(client: RaftStreamClient): void {
    const stream = client.ProcessRaftMessage((err) => {
      if (this.stream !== stream) return;
      this.logger.debug("raft transport: stream ended", {
        peer: this.id,
        error: err?.message ?? "closed by peer",
      });
      if (err?.code === grpc.status.PERMISSION_DENIED || err?.code === grpc.status.UNAUTHENTICATED) {
        // The peer does not accept our certificate: say so loudly, this will not fix itself.
        this.logger.warn("raft transport: peer refused our stream", { peer: this.id, error: err.details });
      }
      this.onDisconnected();
    });
    stream.on("error", () => {});
    stream.on("drain", () => {
      if (this.stream === stream) this.onDrain();
    });
    this.stream = stream;
    this.onConnected();
  }

  protected releaseConnection(): void {
    const stream = this.stream;
    const client = this.client;
    this.stream = undefined;
    this.client = undefined;
    stream?.cancel();
    client?.close();
  }

  /** Writes the queue as batches of at most batchMessagesMax messages / about batchBytesMax bytes. */
  protected writeQueued(): void {
    const stream = this.stream;
    if (!stream) return;
    while (this.queue.length > 0 && !this.waitingForDrain) {
      const batch = this.queue.takeBatch(this.limits.batchMessagesMax, this.limits.batchBytesMax);
      if (!stream.write({ messages: batch })) this.waitingForDrain = true;
    }
  }
}
