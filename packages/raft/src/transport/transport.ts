/**
 * How a Raft node reaches its peers. Transport-agnostic: the TCP transport here and the
 * production gRPC+mTLS one implement the same interface, so the driver never knows which.
 */
import type { Message, NodeId } from "../types.ts";

/** Called for every well-formed message a peer sends to this node. */
export type MessageHandler = (message: Message) => void;

/** Called when messages to `peer` were dropped because it is down or its queue is full. */
export type UnreachableHandler = (peer: NodeId) => void;

export interface Transport {
  /** This node's id; messages addressed to another id are dropped. */
  readonly id: NodeId;
  /**
   * Queues messages for their `to` peers and returns at once; never throws for a peer being down.
   * Messages to one peer are delivered in the order given (or not at all). Unknown peers are
   * dropped and logged.
   */
  send(messages: readonly Message[]): void;
  addPeer(id: NodeId, address: string): void;
  /** Drops the peer's queue and closes its connection. Unknown ids are ignored. */
  removePeer(id: NodeId): void;
  /** Points the peer at a new address; the current connection is closed and re-dialled. */
  updatePeer(id: NodeId, address: string): void;
  /** Sets the single handler for inbound messages (replacing any previous one). */
  onMessage(handler: MessageHandler): void;
  /** Sets the single handler told about unreachable peers (see Transport.send). */
  onUnreachable(handler: UnreachableHandler): void;
  /** Stops listening and closes every connection. Idempotent. */
  close(): Promise<void>;
}
