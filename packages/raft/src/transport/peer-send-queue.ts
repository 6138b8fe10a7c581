/**
 * The outbound queue of one peer: encoded messages waiting to be written, bounded in count and
 * bytes, and flushed at most once per event-loop turn (so a burst of sends becomes one write).
 * The owner decides what "flush" means (one buffer of frames, batches on a stream) and when the
 * connection is ready; this only holds the messages and the once-per-turn trigger.
 */
export interface PeerSendQueueLimits {
  /** Max messages waiting; a message that would go past it is refused. */
  readonly messagesMax: number;
  /** Max encoded bytes waiting; a message that would go past it is refused. */
  readonly bytesMax: number;
}

export class PeerSendQueue {
  // Invariant: queuedBytes equals the sum of payloads' lengths.
  private payloads: Uint8Array[] = [];
  private queuedBytes = 0;
  private flushScheduled = false;

  constructor(
    private readonly limits: PeerSendQueueLimits,
    private readonly flush: () => void,
  ) {}

  get length(): number {
    return this.payloads.length;
  }

  /** Queues a payload and asks for a flush; false (nothing queued) when it would exceed a limit. */
  tryPush(payload: Uint8Array): boolean {
    if (
      this.payloads.length >= this.limits.messagesMax ||
      this.queuedBytes + payload.length > this.limits.bytesMax
    ) {
      return false;
    }
    this.payloads.push(payload);
    this.queuedBytes += payload.length;
    this.requestFlush();
    return true;
  }

  /** Calls flush on the next turn of the event loop, once however often it is asked. */
  requestFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Empties the queue, returning what it held (oldest first) and their total bytes. */
  takeAll(): { payloads: Uint8Array[]; bytes: number } {
    const taken = { payloads: this.payloads, bytes: this.queuedBytes };
    this.clear();
    return taken;
  }

  /**
   * Takes the oldest payloads as one batch: at most `messagesMax`, closed before it would pass
   * `bytesMax` (a first payload larger than that travels alone). Empty when the queue is.
   */
  takeBatch(messagesMax: number, bytesMax: number): Uint8Array[] {
    let count = 0;
    let bytes = 0;
    while (count < this.payloads.length && count < messagesMax) {
      const size = (this.payloads[count] as Uint8Array).length;
      if (count > 0 && bytes + size > bytesMax) break;
      bytes += size;
      count++;
    }
    this.queuedBytes -= bytes;
    return this.payloads.splice(0, count);
  }

  clear(): void {
    this.payloads = [];
    this.queuedBytes = 0;
  }
}
