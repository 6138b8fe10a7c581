/**
 * A RaftNode that tells its owner who leads. It passes every call through to the real node and
 * watches each Ready's soft state (role, leader) and hard state (term). The report is made on a
 * microtask, after the driver has taken the Ready in (so the driver's own view agrees).
 */
import type { ConfChange, ConfState, Message, NodeId, RaftNode, Ready, SnapshotStatus } from "@shoal/raft";
import { Role } from "@shoal/raft";
import type { LeadershipState } from "./leadership.ts";

/** What the inner node must offer besides the driver's port: its status, read once at start. */
export interface StatusSource extends RaftNode {
  status(): { readonly term: number; readonly lead: NodeId; readonly role: Role };
}

export class ObservedRaftNode implements RaftNode {
  private role: Role;
  private leaderId: NodeId;
  private term: number;

  constructor(
    private readonly inner: StatusSource,
    private readonly report: (state: LeadershipState) => void,
  ) {
    const status = inner.status();
    this.role = status.role;
    this.leaderId = status.lead;
    this.term = status.term;
  }

  /** What the node said in the last Ready handed out. */
  get state(): LeadershipState {
    return { isLeader: this.role === Role.Leader, leaderId: this.leaderId, term: this.term };
  }

  ready(): Ready {
    const rd = this.inner.ready();
    const term = rd.hardState?.term ?? this.term;
    if (rd.softState || term !== this.term) {
      this.role = rd.softState?.role ?? this.role;
      this.leaderId = rd.softState?.leader ?? this.leaderId;
      this.term = term;
      const state = this.state;
      queueMicrotask(() => this.report(state));
    }
    return rd;
  }

  tick(): void {
    this.inner.tick();
  }
  step(message: Message): void {
    this.inner.step(message);
  }
  propose(data: Uint8Array): void {
    this.inner.propose(data);
  }
  proposeConfChange(cc: ConfChange): void {
    this.inner.proposeConfChange(cc);
  }
  applyConfChange(cc: ConfChange): ConfState {
    return this.inner.applyConfChange(cc);
  }
  readIndex(requestCtx: Uint8Array): void {
    this.inner.readIndex(requestCtx);
  }
  transferLeadership(to: NodeId): void {
    this.inner.transferLeadership(to);
  }
  hasReady(): boolean {
    return this.inner.hasReady();
  }
  advance(ready: Ready): void {
    this.inner.advance(ready);
  }
  reportUnreachable(peer: NodeId): void {
    this.inner.reportUnreachable?.(peer);
  }
  reportSnapshot(peer: NodeId, status: SnapshotStatus): void {
    this.inner.reportSnapshot?.(peer, status);
  }
}
