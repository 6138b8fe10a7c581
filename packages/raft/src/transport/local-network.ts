/**
 * An in-process network of transports for tests: messages are delivered on a later macrotask, in
 * order per link, and links can be cut to simulate a partition or a dead peer.
 */
import type { Message, NodeId } from "../types.ts";
import type { MessageHandler, Transport, UnreachableHandler } from "./transport.ts";

export class LocalNetwork {
  private readonly members = new Map<NodeId, LocalTransport>();
  private readonly cut = new Set<NodeId>();

  /** The transport for member `id`; peers are every other member of this network. */
  transport(id: NodeId): Transport {
    const t = new LocalTransport(id, this);
    this.members.set(id, t);
    return t;
  }

  /** Isolates `id` (true) or reconnects it (false). */
  isolate(id: NodeId, isolated: boolean): void {
    if (isolated) this.cut.add(id);
    else this.cut.delete(id);
  }

  /** @internal */
  deliver(from: NodeId, messages: readonly Message[]): void {
    for (const m of messages) {
      const target = this.members.get(m.to);
      if (!target || this.cut.has(from) || this.cut.has(m.to)) {
        this.members.get(from)?.unreachable(m.to);
        continue;
      }
      setImmediate(() => target.receive(m));
    }
  }

  /** @internal */
  leave(id: NodeId): void {
    this.members.delete(id);
  }
}

class LocalTransport implements Transport {
  private handler: MessageHandler = () => {};
  private unreachableHandler: UnreachableHandler = () => {};
  private closed = false;

  constructor(
    readonly id: NodeId,
    private readonly network: LocalNetwork,
  ) {}

  send(messages: readonly Message[]): void {
    if (!this.closed) this.network.deliver(this.id, messages);
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
    this.network.leave(this.id);
  }
  receive(m: Message): void {
    if (!this.closed) this.handler(m);
  }
  unreachable(peer: NodeId): void {
    this.unreachableHandler(peer);
  }
}
