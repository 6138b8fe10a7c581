import { AgentError } from "../../errors.ts";
import { type Backend, BackendPool } from "./backend-pool.ts";
import { type MeshLimits, resolveMeshLimits } from "./mesh-limits.ts";
import { backendPort, type MeshTable } from "./mesh-table.ts";
import { TcpForwarder } from "./tcp-forwarder.ts";
import { UdpForwarder } from "./udp-forwarder.ts";

export interface RoutingMeshOptions {
  /** Where published ports listen; every address by default. */
  listenHost?: string;
  limits?: Partial<MeshLimits>;
  /** A port that could not be opened, a socket error. Default: ignored. */
  onError?: (err: unknown) => void;
}

interface Listener {
  serviceId: string;
  pool: BackendPool;
  forwarder: TcpForwarder | UdpForwarder;
}

type PortKey = `${"tcp" | "udp"}/${number}`;

/**
 * This node's routing mesh: one userspace L4 forwarder per ingress-published port (TCP and UDP),
 * each with a least-connections pool of the service's healthy tasks anywhere in the cluster. The
 * table comes from the session (`apply`); `removeTask` takes a task out of rotation at once, before
 * its container is stopped, and keeps it out whatever older tables say. Open connections are never
 * cut by a change of backends: they end when either side ends them.
 */
export class RoutingMesh {
  readonly limits: MeshLimits;
  private readonly listenHost: string;
  // Invariant: one listener per protocol/port, each pool holding only tasks not in `leaving`.
  private readonly listeners = new Map<PortKey, Listener>();
  // Invariant: tasks taken out by removeTask; forgotten once a table no longer names them.
  private readonly leaving = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: RoutingMeshOptions = {}) {
    this.limits = resolveMeshLimits(options.limits);
    this.listenHost = options.listenHost ?? "0.0.0.0";
  }

  /** Brings listeners and pools in line with the table. Applied one at a time, in call order. */
  apply(table: MeshTable): Promise<void> {
    const next = this.queue.then(() => this.reconcile(table));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Takes a task out of every pool now: no new connection or flow goes to it. */
  removeTask(taskId: string): void {
    this.leaving.add(taskId);
    for (const l of this.listeners.values()) l.pool.removeTask(taskId);
  }

  /** Open connections and UDP flows to a task (in rotation or leaving). */
  connections(taskId: string): number {
    let n = 0;
    for (const l of this.listeners.values()) n += l.pool.connectionsByTask().get(taskId) ?? 0;
    return n;
  }

  /** Ports listening now, as `tcp/8080`. */
  listening(): string[] {
    return [...this.listeners.keys()].sort();
  }

  /** The tasks in rotation for a port. */
  backends(protocol: "tcp" | "udp", publishedPort: number): Backend[] {
    return this.listeners.get(`${protocol}/${publishedPort}`)?.pool.inRotation() ?? [];
  }

  /** Closes every listener; open TCP connections are cut. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    const all = [...this.listeners.values()];
    this.listeners.clear();
    await Promise.all(all.map((l) => this.closeListener(l, false)));
  }

  private async reconcile(table: MeshTable): Promise<void> {
    if (this.closed) return;
    const wanted = new Map<PortKey, { serviceId: string; backends: Backend[] }>();
    const named = new Set<string>();
    for (const service of table.services) {
      for (const b of service.backends) named.add(b.taskId);
      for (const port of service.ports) {
        const key: PortKey = `${port.protocol}/${port.publishedPort}`;
        const other = wanted.get(key);
        if (other) {
          this.options.onError?.(
            new AgentError(
              "INVALID_CONFIG",
              `${key} is published by ${other.serviceId} and ${service.serviceId}`,
            ),
          );
          continue;
        }
        const backends: Backend[] = [];
        for (const b of service.backends) {
          const target = backendPort(b, port);
          if (this.leaving.has(b.taskId) || target === undefined) continue;
          backends.push({ taskId: b.taskId, host: b.address, port: target });
        }
        wanted.set(key, { serviceId: service.serviceId, backends });
      }
    }
    for (const taskId of this.leaving) if (!named.has(taskId)) this.leaving.delete(taskId);
    for (const [key, listener] of this.listeners) {
      const want = wanted.get(key);
      if (want && want.serviceId === listener.serviceId) continue;
      this.listeners.delete(key);
      // The port is free at once; open connections end in their own time.
      void this.closeListener(listener, true);
    }
    for (const [key, want] of wanted) {
      const listener = this.listeners.get(key) ?? (await this.openListener(key, want.serviceId));
      listener?.pool.setBackends(want.backends);
    }
  }

  private async openListener(key: PortKey, serviceId: string): Promise<Listener | undefined> {
    const [protocol, portText] = key.split("/") as ["tcp" | "udp", string];
    const pool = new BackendPool();
    const onError = (err: unknown) => this.options.onError?.(err);
    const forwarder =
      protocol === "tcp"
        ? new TcpForwarder(pool, this.limits, onError)
        : new UdpForwarder(pool, this.limits, onError);
    try {
      await forwarder.listen(Number(portText), this.listenHost);
    } catch (err) {
      onError(new AgentError("INVALID_CONFIG", `routing mesh cannot listen on ${key}: ${String(err)}`));
      return undefined;
    }
    const listener = { serviceId, pool, forwarder };
    this.listeners.set(key, listener);
    return listener;
  }

  private closeListener(listener: Listener, graceful: boolean): Promise<void> {
    return listener.forwarder instanceof TcpForwarder
      ? listener.forwarder.close(graceful)
      : listener.forwarder.close();
  }
}
