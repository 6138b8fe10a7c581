/**
 * Length-prefixed frames on a byte stream: a 4-byte big-endian payload length, then the payload
 * (one codec-encoded Message). FrameDecoder reassembles frames from arbitrary chunks and refuses
 * lengths over a named maximum before buffering them.
 */
import { RaftError } from "../errors.ts";

export const FRAME_HEADER_BYTES = 4;
/** Default upper bound on one frame's payload; snapshots larger than this need another transport. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** Concatenates payloads into one buffer of frames, ready for a single socket write. */
export function encodeFrames(payloads: readonly Uint8Array[], totalPayloadBytes: number): Buffer {
  const out = Buffer.allocUnsafe(totalPayloadBytes + payloads.length * FRAME_HEADER_BYTES);
  let pos = 0;
  for (const p of payloads) {
    out.writeUInt32BE(p.length, pos);
    out.set(p, pos + FRAME_HEADER_BYTES);
    pos += FRAME_HEADER_BYTES + p.length;
  }
  return out;
}

export class FrameDecoder {
  private readonly chunks: Buffer[] = [];
  // Invariant: bufferedBytes equals the sum of chunks' lengths.
  private bufferedBytes = 0;

  constructor(private readonly maxFrameBytes: number) {}

  /**
   * Feeds one chunk and returns every frame it completes. Throws RaftError("message-too-large")
   * for a frame over the limit and RaftError("decode") for an empty one; the stream is unusable
   * afterwards.
   */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.bufferedBytes < FRAME_HEADER_BYTES) break;
      const length = this.peekLength();
      if (length > this.maxFrameBytes) {
        throw new RaftError("message-too-large", `frame of ${length} bytes exceeds ${this.maxFrameBytes}`);
      }
      if (length === 0) throw new RaftError("decode", "empty frame");
      if (this.bufferedBytes < FRAME_HEADER_BYTES + length) break;
      this.consume(FRAME_HEADER_BYTES);
      frames.push(this.consume(length));
    }
    return frames;
  }

  private peekLength(): number {
    const first = this.chunks[0] as Buffer;
    if (first.length >= FRAME_HEADER_BYTES) return first.readUInt32BE(0);
    this.merge();
    return (this.chunks[0] as Buffer).readUInt32BE(0);
  }

  private merge(): void {
    const all = Buffer.concat(this.chunks, this.bufferedBytes);
    this.chunks.length = 0;
    this.chunks.push(all);
  }

  /** Removes and returns the first n buffered bytes (n <= bufferedBytes). */
  private consume(n: number): Buffer {
    let first = this.chunks[0] as Buffer;
    if (first.length < n) {
      this.merge();
      first = this.chunks[0] as Buffer;
    }
    this.bufferedBytes -= n;
    if (first.length === n) {
      this.chunks.shift();
      return first;
    }
    this.chunks[0] = first.subarray(n);
    return first.subarray(0, n);
  }
}
