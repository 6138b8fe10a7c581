/**
 * TEST HELPER: cluster-wide checks of the Raft paper's safety properties (Figure 3) over a
 * TestNetwork, observed after every tick of a run.
 */

import type { Entry } from "../types.ts";
import { EntryType, type NodeId, Role } from "../types.ts";
import type { RawNode } from "./raw-node.ts";
import type { TestNetwork } from "./test-network.ts";

/** The entries a node holds (persisted or not), from its first kept index. */
export function logOf(node: RawNode): Entry[] {
  const log = node.raft.log;
  return log.slice(log.firstIndex(), log.lastIndex() + 1, Number.POSITIVE_INFINITY);
}

function sameEntry(a: Entry, b: Entry): boolean {
  if (a.term !== b.term || a.index !== b.index || a.type !== b.type || a.data.length !== b.data.length)
    return false;
  return a.data.every((x, i) => x === b.data[i]);
}

export class SafetyRecorder {
  /** term -> the one node that led it (§5.2 election safety). */
  readonly leaders = new Map<number, NodeId>();
  /** Committed entries by index, as first seen applied anywhere. */
  readonly committed = new Map<number, Entry>();
  /** The log each leader had when last observed, per term (leader append-only). */
  private readonly leaderLogs = new Map<number, Entry[]>();
  violations: string[] = [];

  constructor(private readonly net: TestNetwork) {}

  observe(): void {
    for (const [id, m] of this.net.members) {
      const st = m.node.status();
      if (st.role === Role.Leader) this.observeLeader(id, st.term, m.node);
      for (const e of m.applied) this.observeCommitted(id, e);
    }
    this.checkLogMatching();
  }

  private observeLeader(id: NodeId, term: number, node: RawNode): void {
    const prev = this.leaders.get(term);
    if (prev !== undefined && prev !== id)
      this.violations.push(`§5.2: term ${term} has leaders ${prev} and ${id}`);
    this.leaders.set(term, id);
    const log = logOf(node);
    // Leader append-only: what this leader had before is still there, unchanged.
    const before = this.leaderLogs.get(term) ?? [];
    for (const e of before) {
      const now = log.find((x) => x.index === e.index);
      if (now !== undefined && !sameEntry(now, e))
        this.violations.push(`append-only: leader ${id} changed entry ${e.index}`);
      if (now === undefined && e.index > node.raft.log.lastIndex()) {
        this.violations.push(`append-only: leader ${id} deleted entry ${e.index}`);
      }
    }
    this.leaderLogs.set(term, log);
    // Leader completeness (§5.4): every committed entry of an earlier term is in this leader's log.
    for (const [index, e] of this.committed) {
      if (e.term >= term || index < node.raft.log.firstIndex()) continue;
      const ours = log.find((x) => x.index === index);
      if (!ours || !sameEntry(ours, e))
        this.violations.push(`§5.4: leader ${id} of term ${term} lacks committed ${index}`);
    }
  }

  private observeCommitted(id: NodeId, e: Entry): void {
    const known = this.committed.get(e.index);
    if (known === undefined) this.committed.set(e.index, e);
    else if (!sameEntry(known, e))
      this.violations.push(`§5.4.3: node ${id} applied a different entry at ${e.index}`);
  }

  /** §5.3: if two logs have an entry with the same index and term, they agree on all before it. */
  checkLogMatching(): void {
    const logs = [...this.net.members.values()].map((m) => ({ id: m.id, log: logOf(m.node) }));
    for (let i = 0; i < logs.length; i++) {
      for (let j = i + 1; j < logs.length; j++) {
        const a = new Map(logs[i]!.log.map((e) => [e.index, e]));
        const b = new Map(logs[j]!.log.map((e) => [e.index, e]));
        let matchedFrom = -1;
        for (const [index, ea] of [...a].sort((x, y) => y[0] - x[0])) {
          const eb = b.get(index);
          if (!eb) continue;
          if (matchedFrom >= 0 && !sameEntry(ea, eb)) {
            this.violations.push(
              `§5.3: nodes ${logs[i]!.id},${logs[j]!.id} match at ${matchedFrom} but differ at ${index}`,
            );
            break;
          }
          if (matchedFrom < 0 && ea.term === eb.term) matchedFrom = index;
        }
      }
    }
  }
}

/** The normal commands in a list of applied entries. */
export function commandsOf(entries: readonly Entry[]): Entry[] {
  return entries.filter((e) => e.type === EntryType.Normal && e.data.length > 0);
}
