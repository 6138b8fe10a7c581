import type { LogRecord } from "../executor.ts";

const HEADER_BYTES = 8;
/** Named limit: a partial line longer than this is emitted as it is rather than held. */
export const LOG_LINE_BYTES_MAX = 64 * 1024;

/**
 * Splits the engine's multiplexed log stream (8-byte frame headers: stream type, 3 zero bytes,
 * big-endian payload size) into lines per stream. Frames and lines may span chunks.
 */
export class LogDemuxer {
  private buffered: Buffer = Buffer.alloc(0);
  private readonly partial: Record<LogRecord["stream"], string> = { stdout: "", stderr: "" };

  push(chunk: Buffer): LogRecord[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const out: LogRecord[] = [];
    while (this.buffered.length >= HEADER_BYTES) {
      const size = this.buffered.readUInt32BE(4);
      if (this.buffered.length < HEADER_BYTES + size) break;
      const stream = this.buffered[0] === 2 ? "stderr" : "stdout";
      const payload = this.buffered.subarray(HEADER_BYTES, HEADER_BYTES + size).toString("utf8");
      this.buffered = this.buffered.subarray(HEADER_BYTES + size);
      this.splitLines(stream, payload, out);
    }
    return out;
  }

  /** Whatever is left when the stream ends: unterminated last lines. */
  end(): LogRecord[] {
    const out: LogRecord[] = [];
    for (const stream of ["stdout", "stderr"] as const) {
      if (this.partial[stream]) out.push({ stream, line: this.partial[stream] });
      this.partial[stream] = "";
    }
    return out;
  }

  private splitLines(stream: LogRecord["stream"], payload: string, out: LogRecord[]): void {
    const parts = (this.partial[stream] + payload).split("\n");
    this.partial[stream] = parts.pop() ?? "";
    for (const line of parts) out.push({ stream, line });
    if (this.partial[stream].length > LOG_LINE_BYTES_MAX) {
      out.push({ stream, line: this.partial[stream] });
      this.partial[stream] = "";
    }
  }
}

/** Demultiplexed log lines from an engine answer: a whole buffer, or a stream when following. */
export async function* demuxLogs(source: Buffer | AsyncIterable<Buffer>): AsyncGenerator<LogRecord> {
  const demuxer = new LogDemuxer();
  if (Buffer.isBuffer(source)) {
    yield* demuxer.push(source);
  } else {
    for await (const chunk of source) yield* demuxer.push(chunk);
  }
  yield* demuxer.end();
}
