/**
 * Who leads, as seen by one manager: an observable value that changes when the Raft role, the
 * known leader or the term changes. Listeners run synchronously, in subscription order.
 */
import { NO_NODE, type NodeId } from "@shoal/raft";

export interface LeadershipState {
  /** This manager is the Raft leader. */
  readonly isLeader: boolean;
  /** The leader this manager knows of (NO_NODE = 0 when none). */
  readonly leaderId: NodeId;
  readonly term: number;
}

export const NO_LEADERSHIP: LeadershipState = Object.freeze({ isLeader: false, leaderId: NO_NODE, term: 0 });

export type LeadershipListener = (state: LeadershipState, previous: LeadershipState) => void;

export class Leadership {
  private state: LeadershipState = NO_LEADERSHIP;
  private readonly listeners = new Set<LeadershipListener>();

  get current(): LeadershipState {
    return this.state;
  }

  /** Calls `listener` on every change (not with the current value); returns the unsubscribe. */
  subscribe(listener: LeadershipListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first state (the current one included) that satisfies `predicate`. */
  when(predicate: (state: LeadershipState) => boolean, signal?: AbortSignal): Promise<LeadershipState> {
    if (predicate(this.state)) return Promise.resolve(this.state);
    return new Promise((resolve, reject) => {
      const done = () => {
        unsubscribe();
        signal?.removeEventListener("abort", aborted);
      };
      const aborted = () => {
        done();
        reject(signal?.reason ?? new Error("aborted"));
      };
      const unsubscribe = this.subscribe((s) => {
        if (!predicate(s)) return;
        done();
        resolve(s);
      });
      signal?.addEventListener("abort", aborted, { once: true });
    });
  }

  /** @internal The cluster state reports what its Raft node says. */
  set(next: LeadershipState): void {
    const previous = this.state;
    if (
      previous.isLeader === next.isLeader &&
      previous.leaderId === next.leaderId &&
      previous.term === next.term
    ) {
      return;
    }
    this.state = Object.freeze({ ...next });
    for (const listener of [...this.listeners]) listener(this.state, previous);
  }
}
