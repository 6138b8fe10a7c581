/**
 * The open sessions, one per node: a new session replaces (ends) the node's previous one. A
 * session's signal aborts, with the reason as an RpcError, when it is replaced, when its node
 * misses its heartbeats or is removed, and when the dispatcher stops; every stream of the node
 * (session, assignments) ends with it.
 */
import { RpcError } from "@shoal/rpc";

export class NodeSession {
  private readonly controller = new AbortController();
  private changed = false;
  private waiter: (() => void) | undefined;

  constructor(
    readonly nodeId: string,
    readonly id: string,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the session ended (an RpcError), once it has. */
  get endReason(): RpcError | undefined {
    return this.controller.signal.aborted ? (this.controller.signal.reason as RpcError) : undefined;
  }

  end(reason: RpcError): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
    this.markChanged();
  }

  /** Something the session stream reports (node record, managers, root CA) may have changed. */
  markChanged(): void {
    this.changed = true;
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /** Resolves at the next markChanged (at once if one is pending) or when `signal` aborts. */
  async waitChanged(signal: AbortSignal): Promise<void> {
    if (!this.changed && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const onAbort = () => resolve();
        this.waiter = () => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        };
        signal.addEventListener("abort", onAbort, { once: true });
      });
    }
    this.changed = false;
  }
}

export class NodeSessions {
  // Invariant: every session in the map is open (its signal not aborted).
  private readonly sessions = new Map<string, NodeSession>();

  /** Opens a session for the node, ending the one it had. */
  open(nodeId: string, id: string): NodeSession {
    this.sessions
      .get(nodeId)
      ?.end(new RpcError("ABORTED", `session replaced: node ${nodeId} opened a new session`));
    const session = new NodeSession(nodeId, id);
    this.sessions.set(nodeId, session);
    return session;
  }

  /** The node's open session if its id is `id`. */
  current(nodeId: string, id?: string): NodeSession | undefined {
    const session = this.sessions.get(nodeId);
    return session && (id === undefined || session.id === id) ? session : undefined;
  }

  /** Forgets the session if it is still the node's current one (its stream ended). */
  release(session: NodeSession): void {
    if (this.sessions.get(session.nodeId) === session) this.sessions.delete(session.nodeId);
  }

  end(nodeId: string, reason: RpcError): void {
    const session = this.sessions.get(nodeId);
    if (!session) return;
    this.sessions.delete(nodeId);
    session.end(reason);
  }

  endAll(reason: RpcError): void {
    for (const session of this.sessions.values()) session.end(reason);
    this.sessions.clear();
  }

  all(): IterableIterator<NodeSession> {
    return this.sessions.values();
  }

  get size(): number {
    return this.sessions.size;
  }
}
