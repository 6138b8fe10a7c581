/**
 * One outbound TCP connection to one peer: what is queued goes out as a single buffer of frames
 * per event-loop turn. Queueing, backoff and the connection states are ReconnectingPeer's.
 */
import net from "node:net";
import type { Logger, NodeId } from "../types.ts";
import { encodeFrames } from "./frame.ts";
import { ReconnectingPeer } from "./reconnecting-peer.ts";

export interface TcpPeerLimits {
  /** Max messages waiting for one peer; beyond it new messages are dropped. */
  readonly sendQueueMaxMessages: number;
  /** Max encoded bytes waiting for one peer; beyond it new messages are dropped. */
  readonly sendQueueMaxBytes: number;
  /** First re-dial delay after a failure; doubles per failure up to reconnectDelayMaxMs. */
  readonly reconnectDelayMinMs: number;
  readonly reconnectDelayMaxMs: number;
  /** A dial that has not connected by then counts as failed. */
  readonly dialTimeoutMs: number;
}

export class TcpPeer extends ReconnectingPeer {
  private socket: net.Socket | undefined;

  constructor(
    id: NodeId,
    address: string,
    private readonly limits: TcpPeerLimits,
    logger: Logger,
    reportUnreachable: (peer: NodeId) => void,
  ) {
    super(id, address, {
      queue: { messagesMax: limits.sendQueueMaxMessages, bytesMax: limits.sendQueueMaxBytes },
      backoff: { delayMinMs: limits.reconnectDelayMinMs, delayMaxMs: limits.reconnectDelayMaxMs },
      logger,
      logPrefix: "transport",
      reportUnreachable,
    });
    this.start();
  }

  protected connect(address: string): void {
    const { host, port } = parseAddress(address);
    const socket = net.connect({ host, port, noDelay: true });
    this.socket = socket;
    socket.setTimeout(this.limits.dialTimeoutMs, () => socket.destroy(new Error("dial timeout")));
    socket.once("connect", () => {
      socket.setTimeout(0);
      this.onConnected();
    });
    socket.on("drain", () => this.onDrain());
    // Peers never write on our outbound connection; discard anything they send.
    socket.on("data", () => {});
    socket.on("error", (err) => {
      this.logger.debug("transport: connection error", { peer: this.id, error: err.message });
    });
    socket.once("close", () => {
      if (this.socket === socket) this.onDisconnected();
    });
  }

  protected releaseConnection(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
  }

  /** Writes everything queued as one buffer of frames: one syscall per peer per turn. */
  protected writeQueued(): void {
    const socket = this.socket;
    if (!socket) return;
    const { payloads, bytes } = this.queue.takeAll();
    if (!socket.write(encodeFrames(payloads, bytes))) this.waitingForDrain = true;
  }
}

/** Parses "host:port" (IPv6 hosts in brackets: "[::1]:7000"); port 0 is for listening only. */
export function parseAddress(address: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  if (!m) throw new Error(`bad peer address ${JSON.stringify(address)}: want host:port`);
  const port = Number(m[2]);
  if (port > 65_535) throw new Error(`bad port in peer address ${address}`);
  return { host: m[1] as string, port };
}
