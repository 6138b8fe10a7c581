"use client";
/**
 * Follows a service's logs: an EventSource on `/api/trpc/services.logs?input=...` (the session
 * cookie rides along; tRPC's SSE events `connected`, unnamed `{ events }` messages, `ping`,
 * `return`, `serialized-error`). On a dropped connection the browser reconnects by itself and the
 * server sends the tail again, so the buffer starts over at each `connected`.
 */
import type { LogBatch, ServiceLogsInput } from "@shoal/api";
import { useEffect, useState } from "react";
import { appendLogEvents, EMPTY_LOG_BUFFER, type LogBuffer, restartLogBuffer } from "./log-buffer.ts";

/** Lines of each task the panel asks for when it (re)connects. */
export const LOG_TAIL_LINES = 200;

export type LogStreamStatus =
  | { readonly kind: "connecting" }
  | { readonly kind: "live" }
  | { readonly kind: "reconnecting" }
  | { readonly kind: "ended" }
  | { readonly kind: "failed"; readonly message: string };

export interface ServiceLogs {
  readonly buffer: LogBuffer;
  readonly status: LogStreamStatus;
  /** Opens the stream again after it ended or failed. */
  readonly restart: () => void;
}

export function useServiceLogs(serviceId: string): ServiceLogs {
  const [buffer, setBuffer] = useState<LogBuffer>(EMPTY_LOG_BUFFER);
  const [status, setStatus] = useState<LogStreamStatus>({ kind: "connecting" });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` reopens the stream on restart.
  useEffect(() => {
    const input: ServiceLogsInput = { service: serviceId, follow: true, tail: LOG_TAIL_LINES };
    const source = new EventSource(
      `/api/trpc/services.logs?input=${encodeURIComponent(JSON.stringify(input))}`,
    );
    setStatus({ kind: "connecting" });
    const handleConnected = () => {
      setBuffer(restartLogBuffer);
      setStatus({ kind: "live" });
    };
    const handleMessage = (e: MessageEvent<string>) => {
      const batch = JSON.parse(e.data) as LogBatch;
      setBuffer((b) => appendLogEvents(b, batch.events));
    };
    const handleReturn = () => {
      source.close();
      setStatus({ kind: "ended" });
    };
    const handleServerError = (e: MessageEvent<string>) => {
      source.close();
      setStatus({ kind: "failed", message: serverMessage(e.data) });
    };
    source.addEventListener("connected", handleConnected);
    source.addEventListener("message", handleMessage);
    source.addEventListener("return", handleReturn);
    source.addEventListener("serialized-error", handleServerError);
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        setStatus({ kind: "failed", message: "the log stream could not be opened" });
      } else setStatus({ kind: "reconnecting" });
    };
    return () => source.close();
  }, [serviceId, attempt]);

  return { buffer, status, restart: () => setAttempt((n) => n + 1) };
}

function serverMessage(data: string): string {
  try {
    const shape = JSON.parse(data) as { message?: string; data?: { shoalCode?: string } };
    const code = shape.data?.shoalCode;
    return `${code ? `${code}: ` : ""}${shape.message ?? "the log stream failed"}`;
  } catch {
    return "the log stream failed";
  }
}
