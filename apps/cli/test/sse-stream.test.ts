/**
 * The CLI's SSE reader against a real local HTTP server that speaks tRPC's subscription stream:
 * `connected`, unnamed data messages, `ping`, comments, `return`, `serialized-error`, events split
 * across writes, a JSON error answer instead of a stream, a stream cut short, and Ctrl-C (abort).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeError } from "../src/handle-error.ts";
import { readSubscription } from "../src/sse-stream.ts";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let host: string;
let handler: Handler = () => undefined;
let lastRequest: IncomingMessage | undefined;

const batch = (text: string) => `data: ${JSON.stringify({ events: [{ type: "line", text }] })}\n\n`;
const connected = 'event: connected\ndata: {"reconnectAfterInactivityMs":0}\n\n';
const notFound = {
  code: -32004,
  message: 'service "nope" not found: check the name with `service ls`',
  data: { code: "NOT_FOUND", httpStatus: 404, path: "services.logs", shoalCode: "not-found" },
};

function stream(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.flushHeaders();
}

async function collect(options: { signal?: AbortSignal; token?: string } = {}): Promise<unknown[]> {
  const out: unknown[] = [];
  const input = { service: "web", follow: false };
  for await (const b of readSubscription({ host, path: "services.logs", input, ...options })) out.push(b);
  return out;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    lastRequest = req;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("readSubscription", () => {
  it("yields each data message in order, skips connected/ping/comments, ends at return", async () => {
    handler = (_req, res) => {
      stream(res);
      res.write(connected);
      res.write(batch("web.1.abc@h1    | one"));
      res.write("event: ping\ndata: \n\n");
      res.write(": a comment\n\n");
      // One event split across writes, CRLF line ends, then `return`.
      const second = batch("web.1.abc@h1    | two").replaceAll("\n", "\r\n");
      res.write(second.slice(0, 10));
      setTimeout(() => res.end(`${second.slice(10)}event: return\ndata: \n\n`), 20);
    };
    expect(await collect({ token: "shoal_t" })).toEqual([
      { events: [{ type: "line", text: "web.1.abc@h1    | one" }] },
      { events: [{ type: "line", text: "web.1.abc@h1    | two" }] },
    ]);
    expect(lastRequest?.headers.authorization).toBe("Bearer shoal_t");
    expect(lastRequest?.headers.accept).toBe("text/event-stream");
    const url = new URL(lastRequest?.url ?? "", host);
    expect(url.pathname).toBe("/api/trpc/services.logs");
    expect(JSON.parse(url.searchParams.get("input") ?? "")).toEqual({ service: "web", follow: false });
  });

  it("a serialized-error becomes an API error printed with the server's code and message", async () => {
    handler = (_req, res) => {
      stream(res);
      res.end(`${connected}event: serialized-error\ndata: ${JSON.stringify(notFound)}\n\n`);
    };
    const error = await collect().catch((e: unknown) => e);
    expect(describeError(error)).toEqual({
      text: 'Error (not-found): service "nope" not found: check the name with `service ls`',
      exitCode: 1,
    });
  });

  it("unauthenticated gets the CLI's login hint", async () => {
    handler = (_req, res) => {
      stream(res);
      const shape = {
        ...notFound,
        message: "log in first",
        data: { ...notFound.data, shoalCode: "unauthenticated" },
      };
      res.end(`event: serialized-error\ndata: ${JSON.stringify(shape)}\n\n`);
    };
    const { text } = describeError(await collect().catch((e: unknown) => e), host);
    expect(text).toBe(`Error (unauthenticated): log in first\nRun \`shoal -H ${host} login\` to log in.`);
  });

  it("a JSON error answer instead of a stream is reported the same way", async () => {
    handler = (_req, res) => {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: notFound }));
    };
    expect(describeError(await collect().catch((e: unknown) => e)).text).toMatch(/^Error \(not-found\): /);
  });

  it("a stream that ends without return is an error", async () => {
    handler = (_req, res) => {
      stream(res);
      res.end(batch("x"));
    };
    expect(describeError(await collect().catch((e: unknown) => e)).text).toMatch(/closed the log stream/);
  });

  it("aborting (Ctrl-C) while following ends the iteration without an error", async () => {
    handler = (_req, res) => {
      stream(res);
      res.write(connected);
      res.write(batch("first"));
    };
    const stop = new AbortController();
    const out: unknown[] = [];
    for await (const b of readSubscription({ host, path: "services.logs", input: {}, signal: stop.signal })) {
      out.push(b);
      stop.abort();
    }
    expect(out).toHaveLength(1);
  });

  it("no server at the host is a connection failure (exit code 3)", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await (async () => {
      for await (const _ of readSubscription({
        host: `http://127.0.0.1:${port}`,
        path: "services.logs",
        input: {},
      }));
    })().catch((e: unknown) => e);
    expect(describeError(error).exitCode).toBe(3);
  });
});
