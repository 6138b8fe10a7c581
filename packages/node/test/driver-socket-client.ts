/** Test harness only: the client of a test node's driver socket (driver-socket-server.ts). */
import { request } from "node:http";

export class DriverSocketError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "DriverSocketError";
  }
}

export const DRIVER_CALL_TIMEOUT_MS = 60_000;

export function driverCall<T = unknown>(socketPath: string, route: string, body?: unknown): Promise<T> {
  const text = body === undefined ? "" : JSON.stringify(body);
  return new Promise<T>((resolve, reject) => {
    const req = request(
      {
        socketPath,
        path: `/v0/${route}`,
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text) },
        timeout: DRIVER_CALL_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          try {
            const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
              result?: T;
              error?: { code: string; message: string };
            };
            if (parsed.error) reject(new DriverSocketError(parsed.error.code, parsed.error.message));
            else resolve(parsed.result as T);
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.on("timeout", () =>
      req.destroy(
        new DriverSocketError("unreachable", `the node did not answer within ${DRIVER_CALL_TIMEOUT_MS} ms`),
      ),
    );
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "ECONNREFUSED") {
        reject(
          new DriverSocketError(
            "unreachable",
            `no node answers on ${socketPath}: start one with \`shoal daemon --data-dir <dir>\` (or pass its --data-dir)`,
          ),
        );
      } else reject(error);
    });
    req.end(text);
  });
}
