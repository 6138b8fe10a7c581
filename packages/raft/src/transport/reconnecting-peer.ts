/**
 * The lifecycle every outbound peer shares, whatever carries its bytes: a bounded queue of
 * encoded messages flushed once per event-loop turn, and a connection that is re-dialled with
 * capped exponential backoff when it breaks. A subclass supplies how to connect, how to write
 * what is queued and how to let a connection go (a TCP socket, a gRPC stream).
 *
 * States: "connecting" queues messages (up to the limits); "connected" flushes them; "down" (in
 * backoff after a failure) drops them and reports the peer unreachable; "closed" is final.
 */
import type { Logger, NodeId } from "../types.ts";
import type { OutboundPeer } from "./outbound-peers.ts";
import { PeerSendQueue, type PeerSendQueueLimits } from "./peer-send-queue.ts";
import { ReconnectBackoff, type ReconnectBackoffLimits } from "./reconnect-backoff.ts";

type PeerState = "connecting" | "connected" | "down" | "closed";

export interface ReconnectingPeerOptions {
  readonly queue: PeerSendQueueLimits;
  readonly backoff: ReconnectBackoffLimits;
  readonly logger: Logger;
  /** Starts every log line ("transport", "raft transport"). */
  readonly logPrefix: string;
  readonly reportUnreachable: (peer: NodeId) => void;
}

export abstract class ReconnectingPeer implements OutboundPeer {
  private state: PeerState = "connecting";
  private readonly backoff: ReconnectBackoff;
  protected readonly queue: PeerSendQueue;
  /** The connection's buffer is full: wait for onDrain before writing again. */
  protected waitingForDrain = false;
  protected readonly logger: Logger;

  constructor(
    readonly id: NodeId,
    private address: string,
    private readonly options: ReconnectingPeerOptions,
  ) {
    this.logger = options.logger;
    this.queue = new PeerSendQueue(options.queue, () => this.flush());
    this.backoff = new ReconnectBackoff(options.backoff);
  }

  get currentAddress(): string {
    return this.address;
  }

  /** Queues one encoded message; returns false (and reports) when it had to be dropped. */
  enqueue(payload: Uint8Array): boolean {
    if (this.state === "closed") return false;
    if (this.refuses(payload) || this.state === "down" || !this.queue.tryPush(payload)) {
      this.options.reportUnreachable(this.id);
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

  /** Starts the first dial; a subclass calls it last in its constructor, once its fields are set. */
  protected start(): void {
    this.dial();
  }

  /** Begins connecting to `address`; reports back through onConnected or onDisconnected. */
  protected abstract connect(address: string): void;

  /** Writes what is queued; sets waitingForDrain when the connection pushes back. */
  protected abstract writeQueued(): void;

  /** Lets the current connection go (idempotent; called when it broke, moved or closed). */
  protected abstract releaseConnection(): void;

  /** True for a payload this peer can never send (it is dropped and reported). */
  protected refuses(_payload: Uint8Array): boolean {
    return false;
  }

  protected isClosed(): boolean {
    return this.state === "closed";
  }

  protected onConnected(): void {
    this.state = "connected";
    this.backoff.reset();
    this.logger.debug(`${this.options.logPrefix}: connected`, { peer: this.id, address: this.address });
    this.queue.requestFlush();
  }

  protected onDrain(): void {
    this.waitingForDrain = false;
    this.queue.requestFlush();
  }

  /** The connection broke: drop what waits (Raft resends from its log) and re-dial later. */
  protected onDisconnected(): void {
    this.dropConnection();
    if (this.state === "closed") return;
    this.state = "down";
    if (this.queue.length > 0) {
      this.queue.clear();
      this.options.reportUnreachable(this.id);
    }
    this.backoff.schedule(() => this.dial());
  }

  private dial(): void {
    if (this.state === "closed") return;
    this.state = "connecting";
    this.connect(this.address);
  }

  private dropConnection(): void {
    this.backoff.cancel();
    this.waitingForDrain = false;
    this.releaseConnection();
  }

  private flush(): void {
    if (this.state !== "connected" || this.waitingForDrain || this.queue.length === 0) return;
    this.writeQueued();
  }
}
