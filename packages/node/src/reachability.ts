/**
 * Which Raft members the leader heard from lately. The core's `recentActive` flag is cleared at
 * every check-quorum round and set again by the next reply, so a single sample can miss a live
 * peer; this keeps the last time each member was seen active and calls it reachable for
 * `windowMs` after that.
 */
import type { ClusterState } from "@shoal/manager";

export const REACHABILITY_SAMPLE_MS = 100;

export class ReachabilityTracker {
  private readonly lastSeenMs = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly state: ClusterState,
    private readonly windowMs: number,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.sample(), REACHABILITY_SAMPLE_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Members seen active within the window, this node included. Empty unless this node leads. */
  reachable(): ReadonlySet<number> {
    this.sample();
    const now = Date.now();
    const out = new Set<number>();
    for (const [id, seen] of this.lastSeenMs) if (now - seen <= this.windowMs) out.add(id);
    return out;
  }

  private sample(): void {
    const status = this.state.raftStatus();
    if (!status.progress) {
      this.lastSeenMs.clear();
      return;
    }
    const now = Date.now();
    this.lastSeenMs.set(status.id, now);
    for (const [id, pr] of status.progress) {
      if (pr.recentActive && id !== status.id) this.lastSeenMs.set(id, now);
      // A member the leader just started leading is given the benefit of the window.
      if (!this.lastSeenMs.has(id)) this.lastSeenMs.set(id, now);
    }
  }
}
