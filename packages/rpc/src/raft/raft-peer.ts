/**
 * The outbound side of the gRPC Raft transport for one peer: a bounded queue of encoded messages
 * and one long-lived ProcessRaftMessage client stream, written in batches once per event-loop
 * turn, with backpressure. When the stream breaks the peer is "down": queued and new messages
 * are dropped and reported unreachable (Raft retries from its own log), and the peer is re-dialled
 * with capped exponential backoff on a fresh channel.
 *
 * States: "connecting" (waiting for the channel to be ready) queues; "connected" flushes;
 * "down" (in backoff) drops and reports; "closed" is final.
 */
import * as grpc from "@grpc/grpc-js";
import type { Logger, NodeId } from "@shoal/raft";
import { type OutboundPeer, PeerSendQueue, ReconnectBackoff } from "@shoal/raft/transport";
import type { GrpcRaftLimits } from "./raft-limits.ts";

type PeerState = "connecting" | "connected" | "down" | "closed";

/** Builds a Raft client for an address (the transport owns credentials and channel options). */
export type RaftClientFactory = (address: string) => grpc.Client;

interface RaftStreamClient extends grpc.Client {
  ProcessRaftMessage(callback: (err: grpc.ServiceError | null) => void): grpc.ClientWritableStream<unknown>;
}

export class GrpcRaftPeer implements OutboundPeer {
  private state: PeerState = "connecting";
  private client: RaftStreamClient | undefined;
  private stream: grpc.ClientWritableStream<unknown> | undefined;
  private readonly queue: PeerSendQueue;
  private waitingForDrain = false;
  private readonly backoff: ReconnectBackoff;

  constructor(
    readonly id: NodeId,
    private address: string,
    private readonly newClient: RaftClientFactory,
    private readonly limits: GrpcRaftLimits,
    private readonly logger: Logger,
    private readonly reportUnreachable: (peer: NodeId) => void,
  ) {
    this.queue = new PeerSendQueue(
      { messagesMax: limits.sendQueueMessagesMax, bytesMax: limits.sendQueueBytesMax },
      () => this.flush(),
    );
    this.backoff = new ReconnectBackoff({
      delayMinMs: limits.reconnectDelayMinMs,
      delayMaxMs: limits.reconnectDelayMaxMs,
    });
    this.dial();
  }

  get currentAddress(): string {
    return this.address;
  }

  /** Queues one encoded message; false (and reported) when it had to be dropped. */
  enqueue(payload: Uint8Array): boolean {
    if (this.state === "closed") return false;
    if (payload.length > this.limits.messageBytesMax) {
      this.logger.warn("raft transport: dropping a message over the size limit", {
        peer: this.id,
        bytes: payload.length,
        messageBytesMax: this.limits.messageBytesMax,
      });
      this.reportUnreachable(this.id);
      return false;
    }
    if (this.state === "down" || !this.queue.tryPush(payload)) {
      this.reportUnreachable(this.id);
      return false;
    }
    return true;
  }

  setAddress(address: string): void {
    if (address === this.address || this.state === "closed") return;
    this.address = address;
    this.dropConnection();
    this.backoff.reset();
    this.dial();
  }

  close(): void {
    this.state = "closed";
    this.dropConnection();
    this.queue.clear();
  }

  private dial(): void {
    if (this.state === "closed") return;
    this.state = "connecting";
    const client = this.newClient(this.address) as RaftStreamClient;
    this.client = client;
    client.waitForReady(Date.now() + this.limits.dialTimeoutMs, (err) => {
      if (this.client !== client || this.state === "closed") return;
      if (err) {
        this.logger.debug("raft transport: dial failed", {
          peer: this.id,
          address: this.address,
          error: err.message,
        });
        this.handleDisconnect();
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
      this.handleDisconnect();
    });
    stream.on("error", () => {});
    stream.on("drain", () => {
      if (this.stream !== stream) return;
      this.waitingForDrain = false;
      this.queue.requestFlush();
    });
    this.stream = stream;
    this.state = "connected";
    this.backoff.reset();
    this.logger.debug("raft transport: connected", { peer: this.id, address: this.address });
    this.queue.requestFlush();
  }

  private handleDisconnect(): void {
    this.dropConnection();
    if (this.state === "closed") return;
    this.state = "down";
    if (this.queue.length > 0) {
      this.queue.clear();
      this.reportUnreachable(this.id);
    }
    this.backoff.schedule(() => this.dial());
  }

  private dropConnection(): void {
    this.backoff.cancel();
    const stream = this.stream;
    const client = this.client;
    this.stream = undefined;
    this.client = undefined;
    this.waitingForDrain = false;
    stream?.cancel();
    client?.close();
  }

  /** Writes the queue as batches of at most batchMessagesMax messages / about batchBytesMax bytes. */
  private flush(): void {
    const stream = this.stream;
    if (this.state !== "connected" || !stream) return;
    while (this.queue.length > 0 && !this.waitingForDrain) {
      const batch = this.queue.takeBatch(this.limits.batchMessagesMax, this.limits.batchBytesMax);
      if (!stream.write({ messages: batch })) this.waitingForDrain = true;
    }
  }
}
