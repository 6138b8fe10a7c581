/**
 * A transport's outbound side: one peer object per other node, keyed by id. Routes each message
 * to its peer's queue and keeps the set in step with addPeer/removePeer/updatePeer. What a peer
 * is (a TCP connection, a gRPC stream) is the transport's.
 */
import { encodeMessage } from "../codec.ts";
import type { Logger, Message, NodeId } from "../types.ts";

export interface OutboundPeer {
  /** Queues one encoded message; false (and reported unreachable) when it was dropped. */
  enqueue(payload: Uint8Array): boolean;
  setAddress(address: string): void;
  close(): void;
}

export class OutboundPeers<P extends OutboundPeer> {
  private readonly peers = new Map<NodeId, P>();

  constructor(
    private readonly selfId: NodeId,
    private readonly logger: Logger,
    /** Starts every log line ("transport", "raft transport"). */
    private readonly logPrefix: string,
  ) {}

  get(id: NodeId): P | undefined {
    return this.peers.get(id);
  }

  /** Encodes each message and queues it for its peer; a message to an unknown peer is logged. */
  send(messages: readonly Message[]): void {
    for (const m of messages) {
      const peer = this.peers.get(m.to);
      if (!peer) {
        this.logger.warn(`${this.logPrefix}: dropping message to unknown peer`, { to: m.to, type: m.type });
        continue;
      }
      peer.enqueue(encodeMessage(m));
    }
  }

  /** Points an existing peer at `address`, or adds one made by `create`; this node is skipped. */
  add(id: NodeId, address: string, create: () => P): void {
    if (id === this.selfId) return;
    const existing = this.peers.get(id);
    if (existing) {
      existing.setAddress(address);
      return;
    }
    this.peers.set(id, create());
  }

  remove(id: NodeId): void {
    this.peers.get(id)?.close();
    this.peers.delete(id);
  }

  closeAll(): void {
    for (const peer of this.peers.values()) peer.close();
    this.peers.clear();
  }
}
