/**
 * The TCP transport between processes: one listener for inbound frames from every peer and one
 * outbound connection per peer (TcpPeer). A peer that sends an oversized or malformed frame is
 * logged and disconnected; the node carries on.
 */
import net from "node:net";
import { decodeMessage } from "../codec.ts";
import { RaftError } from "../errors.ts";
import type { Logger, Message, NodeId } from "../types.ts";
import { DEFAULT_MAX_FRAME_BYTES, FrameDecoder } from "./frame.ts";
import { OutboundPeers } from "./outbound-peers.ts";
import { parseAddress, TcpPeer, type TcpPeerLimits } from "./tcp-peer.ts";
import type { MessageHandler, Transport, UnreachableHandler } from "./transport.ts";

export interface TcpTransportOptions extends Partial<TcpPeerLimits> {
  readonly id: NodeId;
  /** "host:port" to listen on; port 0 picks a free one (see TcpTransport.address). */
  readonly listen: string;
  readonly logger: Logger;
  /** Max payload bytes of one inbound frame. */
  readonly maxFrameBytes?: number;
}

export const DEFAULT_TCP_PEER_LIMITS: TcpPeerLimits = {
  sendQueueMaxMessages: 4096,
  sendQueueMaxBytes: 64 * 1024 * 1024,
  reconnectDelayMinMs: 25,
  reconnectDelayMaxMs: 1_000,
  dialTimeoutMs: 2_000,
};

/** Starts listening and resolves once the listener is bound. */
export async function listenTcpTransport(options: TcpTransportOptions): Promise<TcpTransport> {
  const transport = new TcpTransport(options);
  await transport.listen();
  return transport;
}

export class TcpTransport implements Transport {
  readonly id: NodeId;
  private readonly limits: TcpPeerLimits;
  private readonly maxFrameBytes: number;
  private readonly logger: Logger;
  private readonly server: net.Server;
  private readonly peers: OutboundPeers<TcpPeer>;
  private readonly inbound = new Set<net.Socket>();
  private handler: MessageHandler = () => {};
  private unreachable: UnreachableHandler = () => {};
  private closed: Promise<void> | undefined;

  constructor(private readonly options: TcpTransportOptions) {
    this.id = options.id;
    this.logger = options.logger;
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.limits = pickLimits(options);
    validateLimits(this.limits, this.maxFrameBytes);
    this.peers = new OutboundPeers(this.id, this.logger, "transport");
    this.server = net.createServer({ noDelay: true }, (socket) => this.handleInbound(socket));
  }

  /** The bound "host:port" (after listen resolves). */
  get address(): string {
    const a = this.server.address();
    if (a === null || typeof a === "string") throw new Error("transport is not listening");
    return a.family === "IPv6" ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
  }

  listen(): Promise<void> {
    const { host, port } = parseAddress(this.options.listen);
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen({ host, port }, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
  }

  send(messages: readonly Message[]): void {
    this.peers.send(messages);
  }

  addPeer(id: NodeId, address: string): void {
    if (this.closed) return;
    this.peers.add(
      id,
      address,
      () => new TcpPeer(id, address, this.limits, this.logger, (p) => this.unreachable(p)),
    );
  }

  removePeer(id: NodeId): void {
    this.peers.remove(id);
  }

  updatePeer(id: NodeId, address: string): void {
    this.addPeer(id, address);
  }

  onMessage(handler: MessageHandler): void {
    this.handler = handler;
  }

  onUnreachable(handler: UnreachableHandler): void {
    this.unreachable = handler;
  }

  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      this.peers.closeAll();
      for (const socket of this.inbound) socket.destroy();
      this.server.close(() => resolve());
    });
    return this.closed;
  }

  private handleInbound(socket: net.Socket): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.inbound.add(socket);
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    const decoder = new FrameDecoder(this.maxFrameBytes);
    socket.on("data", (chunk: Buffer) => {
      let messages: Message[];
      try {
        messages = decoder.push(chunk).map((frame) => decodeMessage(frame));
      } catch (err) {
        if (!(err instanceof RaftError)) throw err;
        this.logger.warn("transport: closing connection after a bad frame", { remote, error: err.message });
        socket.destroy();
        return;
      }
      for (const m of messages) this.deliver(m, remote);
    });
    socket.on("error", (err) =>
      this.logger.debug("transport: inbound error", { remote, error: err.message }),
    );
    socket.once("close", () => this.inbound.delete(socket));
  }

  private deliver(m: Message, remote: string): void {
    if (m.to !== this.id) {
      this.logger.warn("transport: dropping message addressed elsewhere", { remote, to: m.to });
      return;
    }
    this.handler(m);
  }
}

function validateLimits(l: TcpPeerLimits, maxFrameBytes: number): void {
  for (const [name, v] of Object.entries({ ...l, maxFrameBytes })) {
    if (!Number.isSafeInteger(v) || v <= 0)
      throw new RangeError(`transport: ${name} must be a positive integer`);
  }
  if (l.reconnectDelayMinMs > l.reconnectDelayMaxMs) {
    throw new RangeError("transport: reconnectDelayMinMs must be <= reconnectDelayMaxMs");
  }
}

function pickLimits(o: Partial<TcpPeerLimits>): TcpPeerLimits {
  const d = DEFAULT_TCP_PEER_LIMITS;
  return {
    sendQueueMaxMessages: o.sendQueueMaxMessages ?? d.sendQueueMaxMessages,
    sendQueueMaxBytes: o.sendQueueMaxBytes ?? d.sendQueueMaxBytes,
    reconnectDelayMinMs: o.reconnectDelayMinMs ?? d.reconnectDelayMinMs,
    reconnectDelayMaxMs: o.reconnectDelayMaxMs ?? d.reconnectDelayMaxMs,
    dialTimeoutMs: o.dialTimeoutMs ?? d.dialTimeoutMs,
  };
}
