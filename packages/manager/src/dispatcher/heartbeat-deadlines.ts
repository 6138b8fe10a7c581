/**
 * When each node must next be heard from. Kept in memory on the leader only: a new leader starts
 * with an empty table and gives every node it knows one full grace period from its own start, so a
 * leader change neither marks nodes down nor writes anything for them. Pure: time is passed in.
 */
export class HeartbeatDeadlines {
  // Invariant: every value is a deadline in the caller's clock; a node appears at most once.
  private readonly deadlines = new Map<string, number>();

  /** The node must be heard from again by `deadlineMs`. */
  extend(nodeId: string, deadlineMs: number): void {
    this.deadlines.set(nodeId, deadlineMs);
  }

  /** Brings a known node's deadline forward to `deadlineMs` (never later); false if unknown. */
  shorten(nodeId: string, deadlineMs: number): boolean {
    const current = this.deadlines.get(nodeId);
    if (current === undefined) return false;
    if (deadlineMs < current) this.deadlines.set(nodeId, deadlineMs);
    return true;
  }

  /** Forgets the node (removed, or already marked down). */
  forget(nodeId: string): void {
    this.deadlines.delete(nodeId);
  }

  has(nodeId: string): boolean {
    return this.deadlines.has(nodeId);
  }

  get size(): number {
    return this.deadlines.size;
  }

  /** Removes and returns the nodes whose deadline passed by `nowMs`. */
  takeExpired(nowMs: number): string[] {
    const expired: string[] = [];
    for (const [nodeId, deadlineMs] of this.deadlines) {
      if (deadlineMs <= nowMs) expired.push(nodeId);
    }
    for (const nodeId of expired) this.deadlines.delete(nodeId);
    return expired;
  }
}
