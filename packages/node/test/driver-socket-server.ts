/**
 * Test harness only: the node processes of this package's tests and benchmarks (`node-main.ts`)
 * are driven over HTTP/1.1 on the unix socket `<dataDir>/test-driver.sock` (0600), which reaches
 * a node inside a network namespace too, where its loopback HTTP API does not. It calls the
 * node's own methods; users drive a node through its HTTP API instead. `POST /v0/<route>` with a
 * JSON body; replies `200 {"result": ...}` or an error status with `{"error": {"code", "message"}}`.
 * Routes: info, swarm/init, swarm/join, control (`{procedure, input}`: any control
 * procedure, run on the leader).
 */
import { chmod, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { z } from "zod";
import { SwarmInitInput, SwarmJoinInput } from "../src/node-options.ts";
import type { ShoalNode } from "../src/shoal-node.ts";

/** The socket's name in the data directory. */
export const DRIVER_SOCKET = "test-driver.sock";
export const DRIVER_BODY_BYTES_MAX = 4 * 1024 * 1024;
const ControlInput = z.object({ procedure: z.string().min(1), input: z.unknown().optional() });

type Route = (node: ShoalNode, body: unknown) => Promise<unknown>;
const ROUTES: Record<string, Route> = {
  info: async (node) => node.info(),
  "swarm/init": (node, body) => node.swarmInit(SwarmInitInput.parse(body ?? {})),
  "swarm/join": (node, body) => node.swarmJoin(SwarmJoinInput.parse(body)),
  control: (node, body) => {
    const { procedure, input } = ControlInput.parse(body);
    return node.control(procedure, input, "test-driver");
  },
};

export class DriverSocketServer {
  private constructor(
    private readonly server: Server,
    private readonly path: string,
  ) {}

  static async listen(node: ShoalNode, socketPath: string): Promise<DriverSocketServer> {
    await rm(socketPath, { force: true });
    const server = createServer((req, res) => void handle(node, req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(socketPath, () => resolve());
    });
    await chmod(socketPath, 0o600);
    return new DriverSocketServer(server, socketPath);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.path, { force: true });
  }
}

async function handle(node: ShoalNode, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const route = req.method === "POST" && req.url?.startsWith("/v0/") ? ROUTES[req.url.slice(4)] : undefined;
  if (!route)
    return reply(res, 404, { error: { code: "not-found", message: `no route ${req.method} ${req.url}` } });
  try {
    const text = await readBody(req);
    const body = text === "" ? undefined : JSON.parse(text);
    reply(res, 200, { result: (await route(node, body)) ?? null });
  } catch (error) {
    const { status, code, message } = describeError(error);
    reply(res, status, { error: { code, message } });
  }
}

function describeError(error: unknown): { status: number; code: string; message: string } {
  if (error instanceof z.ZodError) {
    const message = error.issues.map((i) => `${i.path.join(".") || "(input)"}: ${i.message}`).join("; ");
    return { status: 400, code: "invalid-argument", message };
  }
  if (error instanceof SyntaxError) return { status: 400, code: "invalid-argument", message: error.message };
  const code =
    typeof (error as { code?: unknown }).code === "string" ? (error as { code: string }).code : "internal";
  const message = error instanceof Error ? error.message : String(error);
  const status =
    code === "not-found"
      ? 404
      : code === "internal"
        ? 500
        : code === "no-leader" || code === "unreachable"
          ? 503
          : 400;
  return { status, code, message };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > DRIVER_BODY_BYTES_MAX) {
        reject(new SyntaxError(`request body over ${DRIVER_BODY_BYTES_MAX} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
