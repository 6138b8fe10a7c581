/**
 * A transport whose messages never leave the process: it hands what it sends to a hub (an
 * in-process network for tests or a simulator) and receives what the hub delivers to it.
 * Peers need no addresses, so addPeer/removePeer/updatePeer do nothing.
 */
import type { Message, NodeId } from "../types.ts";
import type { MessageHandler, Transport, UnreachableHandler } from "./transport.ts";

/** What routes messages between in-memory transports. */
export interface InMemoryHub {
  deliver(from: NodeId, messages: readonly Message[]): void;
  /** The transport closed: deliver nothing more to it. */
  leave(transport: InMemoryTransport): void;
}

export class InMemoryTransport implements Transport {
  private handler: MessageHandler = () => {};
  private unreachableHandler: UnreachableHandler = () => {};
  private closed = false;

  constructor(
    readonly id: NodeId,
    private readonly hub: InMemoryHub,
  ) {}

  send(messages: readonly Message[]): void {
    if (!this.closed) this.hub.deliver(this.id, messages);
  }
  addPeer(): void {}
  removePeer(): void {}
  updatePeer(): void {}
  onMessage(handler: MessageHandler): void {
    this.handler = handler;
  }
  onUnreachable(handler: UnreachableHandler): void {
    this.unreachableHandler = handler;
  }
  async close(): Promise<void> {
    this.closed = true;
    this.hub.leave(this);
  }
  /** Called by the hub: a message for this node arrived. */
  receive(m: Message): void {
    if (!this.closed) this.handler(m);
  }
  /** Called by the hub: messages to `peer` could not be delivered. */
  unreachable(peer: NodeId): void {
    if (!this.closed) this.unreachableHandler(peer);
  }
}
