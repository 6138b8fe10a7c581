import { connect, createServer, type Server, type Socket } from "node:net";
import type { BackendPool } from "./backend-pool.ts";
import type { MeshLimits } from "./mesh-limits.ts";

/**
 * Listens on one TCP port and pipes each connection to a backend from its pool, both ways
 * (`socket.pipe`: backpressure by the streams, no copies of our own). Half-close is passed on
 * (allowHalfOpen); an error on either side destroys both. A backend that refuses or does not answer
 * within `connectTimeoutMs` is skipped for the next one, up to `connectAttemptsMax`.
 */
export class TcpForwarder {
  private readonly server: Server;
  // Invariant: every client socket accepted and not yet closed.
  private readonly open = new Set<Socket>();

  constructor(
    private readonly pool: BackendPool,
    private readonly limits: MeshLimits,
    private readonly onError: (err: unknown) => void,
  ) {
    this.server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) =>
      this.handleConnection(client),
    );
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen({ port, host, exclusive: true }, () => {
        this.server.off("error", reject);
        this.server.on("error", this.onError);
        resolve();
      });
    });
  }

  get connectionCount(): number {
    return this.open.size;
  }

  /** Stops accepting. With `graceful`, open connections go on until they end; else they are cut. */
  close(graceful: boolean): Promise<void> {
    if (!graceful) for (const s of this.open) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handleConnection(client: Socket): void {
    if (this.open.size >= this.limits.connectionsPerPortMax) {
      client.destroy();
      return;
    }
    this.open.add(client);
    client.once("close", () => this.open.delete(client));
    client.on("error", () => client.destroy());
    client.setNoDelay(true);
    this.connectBackend(client, new Set(), 0);
  }

  private connectBackend(client: Socket, failed: Set<string>, attempt: number): void {
    if (client.destroyed) return;
    const picked = attempt < this.limits.connectAttemptsMax ? this.pool.pick(failed) : undefined;
    if (!picked) {
      client.destroy();
      return;
    }
    this.pool.acquire(picked.key);
    const upstream = connect({ host: picked.backend.host, port: picked.backend.port, allowHalfOpen: true });
    upstream.setNoDelay(true);
    // Errors end in "close", which decides what follows.
    upstream.on("error", () => undefined);
    const timer = setTimeout(() => upstream.destroy(), this.limits.connectTimeoutMs);
    let connected = false;
    const abandon = () => upstream.destroy();
    client.once("close", abandon);
    upstream.once("connect", () => {
      connected = true;
      clearTimeout(timer);
      client.off("close", abandon);
      // A side that closed cleanly has already ended the other through the pipe: let it flush.
      client.once("close", (hadError) => {
        if (hadError || !upstream.writableEnded) upstream.destroy();
      });
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    upstream.once("close", (hadError) => {
      clearTimeout(timer);
      this.pool.release(picked.key);
      if (connected) {
        if (hadError || !client.writableEnded) client.destroy();
        return;
      }
      client.off("close", abandon);
      failed.add(picked.key);
      this.connectBackend(client, failed, attempt + 1);
    });
  }
}
