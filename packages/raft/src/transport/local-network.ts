/**
 * An in-process network of transports for tests: messages are delivered on a later macrotask, in
 * order per link, and links can be cut to simulate a partition or a dead peer.
 */
import type { Message, NodeId } from "../types.ts";
import { type InMemoryHub, InMemoryTransport } from "./in-memory-transport.ts";
import type { Transport } from "./transport.ts";

export class LocalNetwork implements InMemoryHub {
  private readonly members = new Map<NodeId, InMemoryTransport>();
  private readonly cut = new Set<NodeId>();

  /** The transport for member `id`; peers are every other member of this network. */
  transport(id: NodeId): Transport {
    const t = new InMemoryTransport(id, this);
    this.members.set(id, t);
    return t;
  }

  /** Isolates `id` (true) or reconnects it (false). */
  isolate(id: NodeId, isolated: boolean): void {
    if (isolated) this.cut.add(id);
    else this.cut.delete(id);
  }

  /** @internal */
  deliver(from: NodeId, messages: readonly Message[]): void {
    for (const m of messages) {
      const target = this.members.get(m.to);
      if (!target || this.cut.has(from) || this.cut.has(m.to)) {
        this.members.get(from)?.unreachable(m.to);
        continue;
      }
      setImmediate(() => target.receive(m));
    }
  }

  /** @internal */
  leave(t: InMemoryTransport): void {
    if (this.members.get(t.id) === t) this.members.delete(t.id);
  }
}
