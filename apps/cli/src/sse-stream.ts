/**
 * Reads a tRPC subscription served as Server-Sent Events (`GET <host>/api/trpc/<path>?input=<json>`)
 * with fetch: Node 20 has no EventSource. Yields each unnamed data message's JSON; skips `connected`,
 * `ping` and comments; ends when the server sends `return` or the signal aborts. A
 * `serialized-error` (or a JSON error answer instead of a stream) becomes a TRPCClientError carrying
 * the server's `shoalCode`, so handle-error.ts prints it like any other API failure.
 */
import { TRPCClientError } from "@trpc/client";
import { API_PATH } from "./api-client.ts";

/** Longest event the reader buffers before giving up on the stream (a log batch is far smaller). */
export const SSE_EVENT_CHARS_MAX = 16 * 1024 * 1024;

export interface SseEvent {
  /** `message` when the event has no `event:` field. */
  readonly event: string;
  readonly data: string;
}

export interface SubscriptionOptions {
  readonly host: string;
  /** The procedure, e.g. `services.logs`. */
  readonly path: string;
  readonly input: unknown;
  /** An API token: `Authorization: Bearer`. */
  readonly token?: string;
  /** Aborting ends the iteration quietly (Ctrl-C). */
  readonly signal?: AbortSignal;
}

/** The subscription's data messages, parsed, until `return`, an abort, or an error (thrown). */
export async function* readSubscription<T>(options: SubscriptionOptions): AsyncGenerator<T> {
  const url = `${options.host}${API_PATH}/${options.path}?input=${encodeURIComponent(JSON.stringify(options.input))}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        accept: "text/event-stream",
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (cause) {
    if (options.signal?.aborted) return;
    throw TRPCClientError.from(cause as Error);
  }
  if (!response.headers.get("content-type")?.startsWith("text/event-stream")) {
    throw await errorFromBody(response);
  }
  if (!response.body) return;
  try {
    for await (const event of parseSseEvents(response.body)) {
      if (event.event === "return") return;
      if (event.event === "serialized-error") throw errorFromShape(event.data);
      if (event.event !== "message" || event.data === "") continue;
      yield JSON.parse(event.data) as T;
    }
  } catch (cause) {
    if (options.signal?.aborted) return;
    throw cause instanceof TRPCClientError ? cause : TRPCClientError.from(cause as Error);
  }
  if (options.signal?.aborted) return;
  throw new TRPCClientError("the manager closed the log stream before it ended: try again");
}

/** Splits an SSE body into events (`event:`, `data:` lines; `:` comments and `id:` ignored). */
export async function* parseSseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  let buffered = "";
  for await (const chunk of body.pipeThrough(new TextDecoderStream())) {
    buffered += chunk.replace(/\r\n?/g, "\n");
    let end = buffered.indexOf("\n\n");
    while (end >= 0) {
      const event = parseEvent(buffered.slice(0, end));
      buffered = buffered.slice(end + 2);
      if (event) yield event;
      end = buffered.indexOf("\n\n");
    }
    if (buffered.length > SSE_EVENT_CHARS_MAX) {
      throw new Error(`an event of the stream is longer than ${SSE_EVENT_CHARS_MAX} characters`);
    }
  }
}

function parseEvent(raw: string): SseEvent | undefined {
  let event = "message";
  const data: string[] = [];
  for (const line of raw.split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  if (event === "message" && data.length === 0) return undefined;
  return { event, data: data.join("\n") };
}

function errorFromShape(data: string): TRPCClientError<never> {
  try {
    return TRPCClientError.from({ error: JSON.parse(data) });
  } catch {
    return new TRPCClientError(`the manager sent an unreadable error: ${data.slice(0, 200)}`);
  }
}

async function errorFromBody(response: Response): Promise<TRPCClientError<never>> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (body.error) return TRPCClientError.from(body as { error: never });
  } catch {}
  return new TRPCClientError(
    `the manager answered ${response.status} without a stream: ${text.slice(0, 200)}`,
  );
}
