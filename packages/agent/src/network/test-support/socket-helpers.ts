import { createSocket } from "node:dgram";
import { createServer as createHttpServer, request, type Server } from "node:http";
import { type AddressInfo, createServer } from "node:net";

/** A port free on 127.0.0.1 right now (TCP and UDP both checked). */
export async function freePort(): Promise<number> {
  for (;;) {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const udp = createSocket("udp4");
    const ok = await new Promise<boolean>((r) => {
      udp.once("error", () => r(false));
      udp.bind(port, "127.0.0.1", () => r(true));
    });
    await new Promise<void>((r) => udp.close(() => r()));
    if (ok) return port;
  }
}

export interface NamedHttpServer {
  name: string;
  port: number;
  server: Server;
}

/** An HTTP server that answers its name; `?delay=MS` answers after that long. */
export async function startNamedServer(name: string): Promise<NamedHttpServer> {
  const server = createHttpServer((req, res) => {
    const delayMs = Number(new URL(req.url ?? "/", "http://x").searchParams.get("delay") ?? 0);
    setTimeout(() => res.end(name), delayMs);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { name, port: (server.address() as AddressInfo).port, server };
}

export function closeServer(server: { close(cb: () => void): unknown; closeAllConnections?: () => void }) {
  server.closeAllConnections?.();
  return new Promise<void>((r) => server.close(() => r()));
}

/** GET over a fresh connection (no keep-alive); resolves with the body. */
export function httpGet(port: number, path = "/", host = "127.0.0.1"): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, agent: false, headers: { connection: "close" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(Buffer.concat(chunks).toString()));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(5_000, () => req.destroy(new Error(`GET ${host}:${port}${path} timed out`)));
    req.end();
  });
}

/** Waits until `check` holds, polling every 10 ms, or throws after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
