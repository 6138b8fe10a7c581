import { assert } from "../../errors.ts";

export interface Backend {
  taskId: string;
  host: string;
  port: number;
}

interface Entry {
  backend: Backend;
  /** Invariant: open connections (TCP) or live flows (UDP) to this backend, >= 0. */
  connections: number;
}

function keyOf(b: Backend): string {
  return `${b.taskId}@${b.host}:${b.port}`;
}

/**
 * The backends of one published port: least connections, ties broken round robin. A backend taken
 * out of rotation gets no new connection; its open ones are counted until they end (graceful).
 * No I/O: the forwarders call `pick`, `acquire` and `release`.
 */
export class BackendPool {
  // Invariant: rotation holds the keys of backends that may get new connections, in a stable order.
  private rotation: string[] = [];
  // Invariant: every key in rotation is here; others stay only while connections > 0.
  private readonly entries = new Map<string, Entry>();
  private cursor = 0;

  /** Replaces the rotation. Backends that leave keep their open connections. */
  setBackends(backends: readonly Backend[]): void {
    const next: string[] = [];
    for (const b of backends) {
      const key = keyOf(b);
      if (next.includes(key)) continue;
      next.push(key);
      if (!this.entries.has(key)) this.entries.set(key, { backend: b, connections: 0 });
    }
    this.rotation = next;
    for (const [key, entry] of this.entries) {
      if (entry.connections === 0 && !next.includes(key)) this.entries.delete(key);
    }
  }

  /** Takes every backend of a task out of rotation at once. */
  removeTask(taskId: string): void {
    this.setBackends(this.inRotation().filter((b) => b.taskId !== taskId));
  }

  inRotation(): Backend[] {
    return this.rotation.map((k) => this.entries.get(k)!.backend);
  }

  /** The backend for a new connection, skipping `exclude` (ones that just failed); undefined if none. */
  pick(exclude: ReadonlySet<string> = new Set()): { key: string; backend: Backend } | undefined {
    const n = this.rotation.length;
    let best: { key: string; index: number; connections: number } | undefined;
    for (let i = 0; i < n; i++) {
      const index = (this.cursor + i) % n;
      const key = this.rotation[index]!;
      if (exclude.has(key)) continue;
      const connections = this.entries.get(key)!.connections;
      if (!best || connections < best.connections) best = { key, index, connections };
    }
    if (!best) return undefined;
    this.cursor = (best.index + 1) % n;
    return { key: best.key, backend: this.entries.get(best.key)!.backend };
  }

  acquire(key: string): void {
    const entry = this.entries.get(key);
    assert(entry, `acquire of unknown backend ${key}`);
    entry.connections++;
  }

  release(key: string): void {
    const entry = this.entries.get(key);
    assert(entry && entry.connections > 0, `release of ${key} without a connection`);
    entry.connections--;
    if (entry.connections === 0 && !this.rotation.includes(key)) this.entries.delete(key);
  }

  /** Open connections per task (in rotation or draining). */
  connectionsByTask(): Map<string, number> {
    const out = new Map<string, number>();
    for (const e of this.entries.values()) {
      out.set(e.backend.taskId, (out.get(e.backend.taskId) ?? 0) + e.connections);
    }
    return out;
  }

  checkInvariants(): void {
    for (const key of this.rotation) assert(this.entries.has(key), `rotation key ${key} has no entry`);
    for (const [key, e] of this.entries) {
      assert(e.connections >= 0, `${key} has negative connections`);
      assert(e.connections > 0 || this.rotation.includes(key), `${key} lingers with no connection`);
    }
  }
}
