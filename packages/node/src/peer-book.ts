/**
 * Keeps the Raft transport's peers in step with the store (each manager's Node object records its
 * Raft id and address), reports changes of the member list so the node can persist it, and
 * remembers nodes removed from the swarm (their certificates are refused from then on).
 */
import type { ClusterState } from "@shoal/manager";
import type { Logger } from "@shoal/raft";
import type { GrpcRaftTransport } from "@shoal/rpc";
import { type RaftMemberInfo, raftMembers } from "./internal-procedures.ts";

export const PEER_BOOK_PERIOD_MS = 250;

export class PeerBook {
  private timer: NodeJS.Timeout | undefined;
  private readonly removed = new Set<string>();
  private known = new Set<string>();
  private lastMembers = "";

  constructor(private readonly logger: Logger) {}

  isRemoved(nodeId: string): boolean {
    return this.removed.has(nodeId);
  }

  start(
    state: ClusterState,
    transport: GrpcRaftTransport,
    onChange: (members: RaftMemberInfo[]) => void,
  ): void {
    const sync = () => {
      const members = raftMembers(state);
      for (const m of members) {
        if (m.raftId !== state.id) transport.addPeer(m.raftId, m.addr);
      }
      const key = JSON.stringify(members.map((m) => [m.raftId, m.addr]).sort());
      if (key !== this.lastMembers && members.length > 0) {
        this.lastMembers = key;
        this.logger.debug("peer book: members changed", { members });
        onChange(members);
      }
      const ids = new Set(state.store.view((v) => v.nodes.all().map((n) => n.id)));
      for (const id of this.known) if (!ids.has(id)) this.removed.add(id);
      this.known = ids;
    };
    this.timer = setInterval(sync, PEER_BOOK_PERIOD_MS);
    this.timer.unref();
    sync();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
