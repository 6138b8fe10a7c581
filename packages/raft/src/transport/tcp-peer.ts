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

export class TcpPeer {
  private state: PeerState = "connecting";
  private socket: net.Socket | undefined;
  // Invariant: queuedBytes equals the sum of queue's lengths.
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private flushScheduled = false;
  /** The socket's buffer is full: wait for "drain" before writing again. */
  private waitingForDrain = false;
  private reconnectDelayMs: number;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: NodeId,
    private address: string,
    private readonly limits: TcpPeerLimits,
    private readonly logger: Logger,
    private readonly reportUnreachable: (peer: NodeId) => void,
  ) {
    this.reconnectDelayMs = limits.reconnectDelayMinMs;
    this.dial();
  }

  /** Queues one encoded message; returns false (and reports) when it had to be dropped. */
  enqueue(payload: Uint8Array): boolean {
    if (this.state === "closed") return false;
    if (
      this.state === "down" ||
      this.queue.length >= this.limits.sendQueueMaxMessages ||
      this.queuedBytes + payload.length > this.limits.sendQueueMaxBytes
    ) {
      this.reportUnreachable(this.id);
      return false;
    }
    this.queue.push(payload);
    this.queuedBytes += payload.length;
    this.scheduleFlush();
    return true;
  }

  setAddress(address: string): void {
    if (address === this.address) return;
    this.address = address;
    this.dropConnection();
    this.reconnectDelayMs = this.limits.reconnectDelayMinMs;
    this.dial();
  }

  close(): void {
    this.state = "closed";
    this.dropConnection();
    this.clearQueue();
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
      this.reconnectDelayMs = this.limits.reconnectDelayMinMs;
      this.logger.debug("transport: connected", { peer: this.id, address: this.address });
      this.scheduleFlush();
    });
    socket.on("drain", () => {
      this.waitingForDrain = false;
      this.scheduleFlush();
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
      this.clearQueue();
      this.reportUnreachable(this.id);
    }
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, this.limits.reconnectDelayMaxMs);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.dial();
    }, delay);
    this.reconnectTimer.unref();
  }

  private dropConnection(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
  }

  private clearQueue(): void {
    this.queue = [];
    this.queuedBytes = 0;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Writes everything queued as one buffer of frames: one syscall per peer per turn. */
  private flush(): void {
    if (this.state !== "connected" || this.waitingForDrain || this.queue.length === 0) return;
    const socket = this.socket;
    if (!socket) return;
    const frames = encodeFrames(this.queue, this.queuedBytes);
    this.clearQueue();
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
