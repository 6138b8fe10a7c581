/**
 * One outbound TCP connection to one peer: a bounded queue of encoded messages, flushed as a
 * single write per event-loop turn, and re-dialled with capped exponential backoff when it breaks.
 *
 * States: "connecting" queues messages (up to the limits); "connected" flushes them; "down" (in
 * backoff after a failure) drops them and reports the peer unreachable.
 */
import net from "node:net";
import type { Logger, NodeId } from "../types.ts";
import { encodeFrames } from "./frame.ts";
import type { OutboundPeer } from "./outbound-peers.ts";
import { PeerSendQueue } from "./peer-send-queue.ts";
import { ReconnectBackoff } from "./reconnect-backoff.ts";

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

type PeerState = "connecting" | "connected" | "down" | "closed";

export class TcpPeer implements OutboundPeer {
  private state: PeerState = "connecting";
  private socket: net.Socket | undefined;
  private readonly queue: PeerSendQueue;
  /** The socket's buffer is full: wait for "drain" before writing again. */
  private waitingForDrain = false;
  private readonly backoff: ReconnectBackoff;

  constructor(
    readonly id: NodeId,
    private address: string,
    private readonly limits: TcpPeerLimits,
    private readonly logger: Logger,
    private readonly reportUnreachable: (peer: NodeId) => void,
  ) {
    this.queue = new PeerSendQueue(
      { messagesMax: limits.sendQueueMaxMessages, bytesMax: limits.sendQueueMaxBytes },
      () => this.flush(),
    );
    this.backoff = new ReconnectBackoff({
      delayMinMs: limits.reconnectDelayMinMs,
      delayMaxMs: limits.reconnectDelayMaxMs,
    });
    this.dial();
  }

  /** Queues one encoded message; returns false (and reports) when it had to be dropped. */
  enqueue(payload: Uint8Array): boolean {
    if (this.state === "closed") return false;
    if (this.state === "down" || !this.queue.tryPush(payload)) {
      this.reportUnreachable(this.id);
      return false;
    }
    return true;
  }

  setAddress(address: string): void {
    if (address === this.address) return;
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
    const { host, port } = parseAddress(this.address);
    const socket = net.connect({ host, port, noDelay: true });
    this.socket = socket;
    socket.setTimeout(this.limits.dialTimeoutMs, () => socket.destroy(new Error("dial timeout")));
    socket.once("connect", () => {
      socket.setTimeout(0);
      this.state = "connected";
      this.backoff.reset();
      this.logger.debug("transport: connected", { peer: this.id, address: this.address });
      this.queue.requestFlush();
    });
    socket.on("drain", () => {
      this.waitingForDrain = false;
      this.queue.requestFlush();
    });
    // Peers never write on our outbound connection; discard anything they send.
    socket.on("data", () => {});
    socket.on("error", (err) => {
      this.logger.debug("transport: connection error", { peer: this.id, error: err.message });
    });
    socket.once("close", () => {
      if (this.socket === socket) this.handleDisconnect();
    });
  }

  private handleDisconnect(): void {
    this.socket = undefined;
    this.waitingForDrain = false;
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
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
  }

  /** Writes everything queued as one buffer of frames: one syscall per peer per turn. */
  private flush(): void {
    if (this.state !== "connected" || this.waitingForDrain || this.queue.length === 0) return;
    const socket = this.socket;
    if (!socket) return;
    const { payloads, bytes } = this.queue.takeAll();
    const frames = encodeFrames(payloads, bytes);
    if (!socket.write(frames)) this.waitingForDrain = true;
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
