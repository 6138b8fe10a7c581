/** The client of the temporary local admin endpoint (admin-server.ts), used by `shoal` and tests. */
import { request } from "node:http";

export class AdminError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "AdminError";
  }
}

export const ADMIN_CALL_TIMEOUT_MS = 60_000;

export function adminCall<T = unknown>(socketPath: string, route: string, body?: unknown): Promise<T> {
  const text = body === undefined ? "" : JSON.stringify(body);
  return new Promise<T>((resolve, reject) => {
    const req = request(
      {
        socketPath,
        path: `/v0/${route}`,
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text) },
        timeout: ADMIN_CALL_TIMEOUT_MS,
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
            if (parsed.error) reject(new AdminError(parsed.error.code, parsed.error.message));
            else resolve(parsed.result as T);
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.on("timeout", () =>
      req.destroy(
        new AdminError("unreachable", `the node did not answer within ${ADMIN_CALL_TIMEOUT_MS} ms`),
      ),
    );
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "ECONNREFUSED") {
        reject(
          new AdminError(
            "unreachable",
            `no node answers on ${socketPath}: start one with \`shoal daemon --data-dir <dir>\` (or pass its --data-dir)`,
          ),
        );
      } else reject(error);
    });
    req.end(text);
  });
}
