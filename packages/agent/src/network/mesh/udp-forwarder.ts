import { createSocket, type Socket } from "node:dgram";
import type { BackendPool } from "./backend-pool.ts";
import type { MeshLimits } from "./mesh-limits.ts";

interface Flow {
  key: string;
  host: string;
  port: number;
  upstream: Socket;
  lastActiveMs: number;
}

/**
 * Listens on one UDP port. Each client address:port is a flow with its own upstream socket
 * talking to one backend (picked like a TCP connection), so replies find their way back. A flow
 * with no datagram either way for `udpFlowIdleMs` is closed; a backend leaving the rotation keeps
 * its flows until then.
 */
export class UdpForwarder {
  private readonly socket: Socket;
  // Invariant: size <= udpFlowsPerPortMax; each flow holds one acquire on its backend.
  private readonly flows = new Map<string, Flow>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: BackendPool,
    private readonly limits: MeshLimits,
    private readonly onError: (err: unknown) => void,
  ) {
    this.socket = createSocket({ type: "udp4", reuseAddr: false });
    this.socket.on("message", (msg, rinfo) => this.handleDatagram(msg, rinfo.address, rinfo.port));
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once("error", reject);
      this.socket.bind({ port, address: host, exclusive: true }, () => {
        this.socket.off("error", reject);
        this.socket.on("error", this.onError);
        const period = Math.max(10, Math.floor(this.limits.udpFlowIdleMs / 2));
        this.sweeper = setInterval(() => this.sweep(), period);
        this.sweeper.unref();
        resolve();
      });
    });
  }

  get flowCount(): number {
    return this.flows.size;
  }

  /** Stops listening and closes every flow (UDP has no in-flight exchange to wait for). */
  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    for (const [client, flow] of this.flows) this.endFlow(client, flow);
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private handleDatagram(msg: Buffer, address: string, port: number): void {
    const client = `${address}:${port}`;
    let flow = this.flows.get(client);
    if (!flow) {
      if (this.flows.size >= this.limits.udpFlowsPerPortMax) return;
      flow = this.openFlow(client, address, port);
      if (!flow) return;
    }
    flow.lastActiveMs = Date.now();
    flow.upstream.send(msg, flow.port, flow.host);
  }

  private openFlow(client: string, address: string, port: number): Flow | undefined {
    const picked = this.pool.pick();
    if (!picked) return undefined;
    this.pool.acquire(picked.key);
    const upstream = createSocket("udp4");
    const { host, port: backendPort } = picked.backend;
    const flow: Flow = { key: picked.key, host, port: backendPort, upstream, lastActiveMs: Date.now() };
    this.flows.set(client, flow);
    upstream.on("message", (reply, from) => {
      if (from.address !== host || from.port !== backendPort) return;
      flow.lastActiveMs = Date.now();
      this.socket.send(reply, port, address);
    });
    // ICMP unreachable and the like: the flow ends; the client's next datagram opens a new one.
    upstream.on("error", () => this.endFlow(client, flow));
    return flow;
  }

  private endFlow(client: string, flow: Flow): void {
    if (this.flows.get(client) !== flow) return;
    this.flows.delete(client);
    this.pool.release(flow.key);
    try {
      flow.upstream.close();
    } catch {
      // already closed
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const [client, flow] of this.flows) {
      if (now - flow.lastActiveMs >= this.limits.udpFlowIdleMs) this.endFlow(client, flow);
    }
  }
}
