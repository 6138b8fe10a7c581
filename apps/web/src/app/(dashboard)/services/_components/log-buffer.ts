/**
 * The logs panel's line buffer: the newest `LOG_LINES_MAX` events, each with a sequence number
 * (React's key). Pure: the hook owns the state.
 */
import type { LogEvent } from "@shoal/api";

/** Most lines the panel keeps; older ones drop off the top. */
export const LOG_LINES_MAX = 2_000;

export type BufferedLogEvent = LogEvent & { readonly seq: number };

export interface LogBuffer {
  // Invariant: lines.length <= LOG_LINES_MAX, seq strictly increasing.
  readonly lines: readonly BufferedLogEvent[];
  readonly nextSeq: number;
  /** Lines dropped off the top since the stream (re)started. */
  readonly dropped: number;
}

export const EMPTY_LOG_BUFFER: LogBuffer = { lines: [], nextSeq: 0, dropped: 0 };

export function appendLogEvents(buffer: LogBuffer, events: readonly LogEvent[]): LogBuffer {
  if (events.length === 0) return buffer;
  const added = events.map((e, i) => ({ ...e, seq: buffer.nextSeq + i }));
  const all = [...buffer.lines, ...added];
  const over = Math.max(0, all.length - LOG_LINES_MAX);
  return {
    lines: over > 0 ? all.slice(over) : all,
    nextSeq: buffer.nextSeq + events.length,
    dropped: buffer.dropped + over,
  };
}

/** A fresh buffer that keeps counting sequence numbers (keys stay unique across reconnects). */
export function restartLogBuffer(buffer: LogBuffer): LogBuffer {
  return { lines: [], nextSeq: buffer.nextSeq, dropped: 0 };
}
