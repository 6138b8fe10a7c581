/**
 * Raft's safety properties, checked as the simulation runs. The first broken one stops the seed.
 *
 * - Election safety: at most one leader per term.
 * - State machine safety: every node applies the same entry at an index (a global committed log
 *   records the first entry anyone applied there), and state machines that applied the same
 *   index have the same digest.
 * - Applied index is monotonic and contiguous within one run of a node.
 * - Leader append-only: a leader never truncates its own log (checked by the node).
 * - Leader completeness: a new leader's log holds every entry anyone applied.
 */
import type { Entry, NodeId, Storage } from "../src/index.ts";

export class InvariantViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvariantViolation";
  }
}

export function check(cond: unknown, what: string): asserts cond {
  if (!cond) throw new InvariantViolation(what);
}

export class Invariants {
  private readonly leaderOfTerm = new Map<number, NodeId>();
  // Invariant: committed.get(i) is the entry the first applier applied at index i.
  private readonly committed = new Map<number, Entry>();
  private readonly digestAt = new Map<number, number>();
  /** The highest index anyone applied. */
  appliedMax = 0;

  onLeader(id: NodeId, term: number): boolean {
    const other = this.leaderOfTerm.get(term);
    check(other === undefined || other === id, `two leaders in term ${term}: ${other} and ${id}`);
    this.leaderOfTerm.set(term, id);
    return other === undefined;
  }

  onApply(id: NodeId, applied: number, entry: Entry): void {
    check(entry.index === applied + 1, `node ${id} applied ${entry.index} after ${applied}`);
    const first = this.committed.get(entry.index);
    if (first === undefined) {
      this.committed.set(entry.index, entry);
      if (entry.index > this.appliedMax) this.appliedMax = entry.index;
      return;
    }
    check(
      first.term === entry.term && first.type === entry.type && sameBytes(first.data, entry.data),
      `node ${id} applied a different entry at ${entry.index}: term ${entry.term}, committed term ${first.term}`,
    );
  }

  onDigest(id: NodeId, index: number, digest: number): void {
    const first = this.digestAt.get(index);
    if (first === undefined) this.digestAt.set(index, digest);
    else check(first === digest, `node ${id} state at ${index} differs from another node's`);
  }

  /** A snapshot installed at `index` with `term` must agree with what was applied there. */
  onSnapshot(id: NodeId, index: number, term: number, digest: number): void {
    const e = this.committed.get(index);
    check(
      e === undefined || e.term === term,
      `node ${id} installed snapshot ${index}/${term}; entry had term ${e?.term}`,
    );
    this.onDigest(id, index, digest);
  }

  /** Leader completeness, checked from the leader's persisted log. */
  onLeaderLog(id: NodeId, term: number, storage: Storage): void {
    const last = storage.lastIndex();
    check(
      last >= this.appliedMax,
      `leader ${id} of term ${term} lacks entries: last ${last} < applied ${this.appliedMax}`,
    );
    for (let i = Math.max(storage.firstIndex(), 1); i <= this.appliedMax; i++) {
      const e = this.committed.get(i);
      if (e === undefined) continue;
      const t = storage.term(i);
      check(t === e.term, `leader ${id} of term ${term} has term ${t} at ${i}; committed term ${e.term}`);
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
