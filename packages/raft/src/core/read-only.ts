/**
 * Pending ReadIndex requests on the leader (read_only.go's design). In "safe" mode a request is
 * answered once a quorum acknowledged a heartbeat carrying its context; in "lease" mode at once.
 */
import type { Message, NodeId } from "../types.ts";
import { bytesKey } from "./entry-size.ts";

export interface ReadIndexStatus {
  readonly req: Message;
  /** The commit index when the request arrived: what the reader must wait to be applied. */
  readonly index: number;
  readonly acks: Set<NodeId>;
}

const EMPTY = new Uint8Array(0);

export class ReadOnly {
  private readonly pending = new Map<string, ReadIndexStatus>();
  // Invariant: queue holds exactly the keys of `pending`, in arrival order.
  private queue: string[] = [];

  constructor(readonly option: "safe" | "lease") {}

  addRequest(index: number, m: Message): void {
    const key = bytesKey(m.context);
    if (this.pending.has(key)) return;
    this.pending.set(key, { req: m, index, acks: new Set() });
    this.queue.push(key);
  }

  /** Records a heartbeat acknowledgement; returns who has acknowledged the context so far. */
  recvAck(id: NodeId, context: Uint8Array): ReadonlySet<NodeId> | undefined {
    const status = this.pending.get(bytesKey(context));
    if (!status) return undefined;
    status.acks.add(id);
    return status.acks;
  }

  /** Removes and returns every request up to and including the one with `context`. */
  advance(context: Uint8Array): ReadIndexStatus[] {
    const key = bytesKey(context);
    const at = this.queue.indexOf(key);
    if (at < 0) return [];
    const done = this.queue.slice(0, at + 1);
    this.queue = this.queue.slice(at + 1);
    const out: ReadIndexStatus[] = [];
    for (const k of done) {
      out.push(this.pending.get(k)!);
      this.pending.delete(k);
    }
    return out;
  }

  lastPendingRequestCtx(): Uint8Array {
    const key = this.queue[this.queue.length - 1];
    return key === undefined ? EMPTY : this.pending.get(key)!.req.context;
  }

  pendingCount(): number {
    return this.queue.length;
  }
}
