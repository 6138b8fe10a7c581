/**
 * The follower side of agent sessions: rpc's DispatcherRelay, aimed at whichever manager leads.
 * While another manager leads, agents' dispatcher calls on this manager are relayed there over
 * this manager's own certificate; when the known leader changes, relayed streams end and agents
 * open new sessions here (relayed to the new leader, or served by this manager if it won).
 */
import type { ClusterState } from "@shoal/manager";
import type { Logger } from "@shoal/raft";
import { DispatcherRelay, RpcError, type TlsMaterialSource } from "@shoal/rpc";

/** How long a relayed call waits for an election to name a leader. */
export const RELAY_LEADER_WAIT_MS = 3_000;

export interface LeaderRelayDeps {
  readonly tls: TlsMaterialSource;
  readonly clusterId: string;
  /** The manager's cluster state, once Raft is open. */
  readonly state: () => ClusterState | undefined;
  /** The node-to-node address of a Raft member. */
  readonly peerAddress: (raftId: number) => string | undefined;
  readonly logger: Logger;
}

export class LeaderRelay {
  readonly relay: DispatcherRelay;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: LeaderRelayDeps) {
    this.relay = new DispatcherRelay({
      tls: deps.tls,
      clusterId: deps.clusterId,
      leaderAddr: (signal) => this.leaderAddr(signal),
      onSessionRelayed: (node, leader) =>
        deps.logger.info("agent session relayed to the leader", { node, leader }),
    });
  }

  /** Follows leadership changes: relayed calls to a former leader end at once. */
  start(state: ClusterState): void {
    this.unsubscribe = state.leadership.subscribe((now, before) => {
      if (now.leaderId !== before.leaderId || now.isLeader !== before.isLeader) this.relay.leaderMoved();
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.relay.close();
  }

  private async leaderAddr(signal: AbortSignal): Promise<string> {
    const state = this.deps.state();
    if (!state) throw new RpcError("UNAVAILABLE", "this manager is still starting: try again shortly");
    const leadership = await state.leadership
      .when((s) => s.leaderId !== 0, AbortSignal.any([signal, AbortSignal.timeout(RELAY_LEADER_WAIT_MS)]))
      .catch(() => {
        throw new RpcError(
          "UNAVAILABLE",
          `no leader elected within ${RELAY_LEADER_WAIT_MS} ms (is a quorum of managers running?)`,
        );
      });
    if (leadership.isLeader) {
      throw new RpcError("UNAVAILABLE", "this manager was just elected and its dispatcher is starting");
    }
    const addr = this.deps.peerAddress(leadership.leaderId);
    if (!addr) {
      throw new RpcError(
        "UNAVAILABLE",
        `the leader (Raft member ${leadership.leaderId}) has no known address yet`,
      );
    }
    return addr;
  }
}
