/**
 * A simulated network for in-process managers: every message is delivered after a configurable
 * delay (plus jitter), in order per link; links can be cut by partitions, and a killed manager's
 * transport simply disappears. Implements @shoal/raft's Transport, so the real RaftDriver runs
 * over it unchanged.
 */
import type { Message, NodeId } from "@shoal/raft";
import { type InMemoryHub, InMemoryTransport, type Transport } from "@shoal/raft/transport";

export interface SimNetworkOptions {
  /** Base one-way delay of every message. */
  readonly delayMs?: number;
  /** Extra random delay in [0, jitterMs) (order per link is kept). */
  readonly jitterMs?: number;
  /** Randomness for jitter, in [0, 1). */
  readonly random?: () => number;
}

export class SimNetwork implements InMemoryHub {
  private readonly members = new Map<NodeId, InMemoryTransport>();
  /** Partition group of each node; nodes in different groups cannot talk. Absent = group 0. */
  private readonly groups = new Map<NodeId, number>();
  /** When the last message on a link (from→to) is due, to keep per-link order under jitter. */
  private readonly linkDueMs = new Map<string, number>();
  private delayMs: number;
  private jitterMs: number;
  private readonly random: () => number;
  /** Messages delivered and dropped (tests, metrics). */
  readonly stats = { delivered: 0, dropped: 0 };

  constructor(options: SimNetworkOptions = {}) {
    this.delayMs = options.delayMs ?? 0;
    this.jitterMs = options.jitterMs ?? 0;
    this.random = options.random ?? Math.random;
    this.checkTiming();
  }

  /** The transport of member `id` (a restarted member gets a new one). */
  transport(id: NodeId): Transport {
    const t = new InMemoryTransport(id, this);
    this.members.set(id, t);
    return t;
  }

  setDelay(delayMs: number, jitterMs = this.jitterMs): void {
    this.delayMs = delayMs;
    this.jitterMs = jitterMs;
    this.checkTiming();
  }

  /** Splits the members into groups that cannot reach each other; unnamed nodes join the first. */
  partition(...groups: readonly (readonly NodeId[])[]): void {
    this.groups.clear();
    groups.forEach((group, i) => {
      for (const id of group) this.groups.set(id, i);
    });
  }

  /** Cuts `id` off from everyone else. */
  isolate(id: NodeId): void {
    const others = [...this.members.keys()].filter((m) => m !== id);
    this.partition(others, [id]);
  }

  heal(): void {
    this.groups.clear();
  }

  canReach(from: NodeId, to: NodeId): boolean {
    return this.members.has(to) && (this.groups.get(from) ?? 0) === (this.groups.get(to) ?? 0);
  }

  /** @internal */
  deliver(from: NodeId, messages: readonly Message[]): void {
    const sender = this.members.get(from);
    for (const m of messages) {
      const target = this.members.get(m.to);
      if (target === undefined || !this.canReach(from, m.to)) {
        this.stats.dropped++;
        sender?.unreachable(m.to);
        continue;
      }
      this.schedule(from, target, m);
    }
  }

  /** @internal */
  leave(t: InMemoryTransport): void {
    if (this.members.get(t.id) === t) this.members.delete(t.id);
  }

  private schedule(from: NodeId, target: InMemoryTransport, m: Message): void {
    const deliver = () => {
      // Checked again on arrival: a partition or kill while in flight drops the message.
      if (this.members.get(target.id) !== target || !this.canReach(from, target.id)) {
        this.stats.dropped++;
        return;
      }
      this.stats.delivered++;
      target.receive(m);
    };
    if (this.delayMs === 0 && this.jitterMs === 0) {
      setImmediate(deliver);
      return;
    }
    const link = `${from}>${target.id}`;
    const now = Date.now();
    const due = Math.max(now + this.delayMs + this.random() * this.jitterMs, this.linkDueMs.get(link) ?? 0);
    this.linkDueMs.set(link, due);
    setTimeout(deliver, due - now);
  }

  private checkTiming(): void {
    if (!(this.delayMs >= 0 && this.jitterMs >= 0)) throw new RangeError("sim network: delays must be >= 0");
  }
}
