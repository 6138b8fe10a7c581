/**
 * The manager component of a node, started and stopped inside the running process: the gRPC
 * server on the listen address (the manager's CA server, Raft, control forwarding, the
 * dispatcher), the Raft member (GrpcRaftTransport + WAL + store) with the leader components
 * (dispatcher, allocator, scheduler, orchestrators, role manager; on a follower, agents' dispatcher
 * calls are relayed to the leader), and the peer book that keeps
 * Raft peer addresses in step with the store. Start order: server, Raft, runner; stop in reverse.
 *
 * Any manager issues certificates (the CA key is in the replicated store); the Node object of a
 * joining node is written on the leader through control forwarding (CaServer's `createNode`).
 * Removed nodes are refused by id: those the store's cluster object records, and those this
 * process saw disappear.
 */

import type { ClusterState } from "@shoal/manager";
import {
  CaServer,
  DispatcherEndpoint,
  leaderComponents,
  logsForwardHandler,
  Manager,
  RootRotationFinisher,
} from "@shoal/manager";
import type { Logger } from "@shoal/raft";
import type { RecordCipher } from "@shoal/raft/wal";
import {
  addCaService,
  addControlService,
  addDispatcherService,
  GrpcRaftTransport,
  type RaftMembershipHandlers,
  RpcError,
  RpcServer,
  type TlsMaterialSource,
} from "@shoal/rpc";
import type { ControlRouter } from "./control-router.ts";
import { type RaftMemberInfo, raftMembers } from "./internal-procedures.ts";
import { LeaderRelay } from "./leader-relay.ts";
import { ManagerLogs } from "./manager-logs.ts";
import { PeerBook } from "./peer-book.ts";
import { PreviousLeaderWatch } from "./previous-leader-watch.ts";
import {
  RAFT_COMPACTION_KEEP_ENTRIES,
  RAFT_ELECTION_TICK,
  RAFT_HEARTBEAT_TICK,
  RAFT_SNAPSHOT_EVERY_ENTRIES,
  RAFT_TICK_MS,
} from "./raft-timing.ts";
import { ReachabilityTracker } from "./reachability.ts";
import { RemovedNodes } from "./removed-nodes.ts";
import { RoleManager } from "./role-manager.ts";

export interface ManagerRoleOptions {
  readonly raftId: number;
  /** This node's id and the address agents dial it at (the dispatcher lists it first). */
  readonly nodeId: string;
  readonly advertiseAddr: string;
  readonly clusterId: string;
  readonly listenAddr: string;
  readonly walDir: string;
  /** Encrypts the WAL and snapshots at rest (the node's Raft data key). */
  readonly walCipher?: RecordCipher;
  readonly tls: TlsMaterialSource;
  /** The first members of a brand-new cluster (swarm init: this node); empty when joining. */
  readonly initialMembers: readonly number[];
  /** Raft peers known before the store has caught up (from the node state file or Join). */
  readonly peers: readonly RaftMemberInfo[];
  readonly router: ControlRouter;
  readonly logger: Logger;
  /** Raft snapshot spacing (StartNodeOptions.raftSnapshot); default RAFT_SNAPSHOT_EVERY_ENTRIES. */
  readonly snapshot?: { readonly everyEntries: number; readonly keepEntries: number };
  /** Told when the set of Raft members in the store changes (persist it in the state file). */
  readonly onMembersChanged: (members: RaftMemberInfo[]) => void;
  /** Told when the Raft driver stopped on an error it cannot handle. */
  readonly onFatal: (error: Error) => void;
}

export class ManagerRole {
  private constructor(
    readonly server: RpcServer,
    readonly transport: GrpcRaftTransport,
    readonly manager: Manager,
    private readonly reachability: ReachabilityTracker,
    private readonly peerBook: PeerBook,
    /** Log subscriptions: the leader's broker, or forwarded to it. */
    readonly logs: ManagerLogs,
    /** Agents' dispatcher calls on a follower, relayed to the leader. */
    private readonly leaderRelay: LeaderRelay,
  ) {}

  /** Shortens the heartbeat grace of the previous leader's node after an election. */
  private previousLeaderWatch: PreviousLeaderWatch | undefined;

  get state(): ClusterState {
    return this.manager.state;
  }

  static async start(options: ManagerRoleOptions): Promise<ManagerRole> {
    const { logger, router } = options;
    let role: ManagerRole | undefined;
    const peerBook = new PeerBook(logger);
    const removed = new RemovedNodes(() => role?.state.store);
    const server = new RpcServer({
      listen: options.listenAddr,
      tls: options.tls,
      isRemoved: (nodeId) => peerBook.isRemoved(nodeId) || removed.has(nodeId),
      clusterId: options.clusterId,
      logger,
    });
    const control = (procedure: string, input: unknown) => router.call(procedure, input, undefined);
    const leaderRelay = new LeaderRelay({
      tls: options.tls,
      clusterId: options.clusterId,
      state: () => role?.state,
      peerAddress: (raftId) => role?.peerAddress(raftId),
      logger,
    });
    const endpoint = new DispatcherEndpoint(leaderRelay.relay);
    addDispatcherService(server, endpoint);
    const transport = new GrpcRaftTransport({
      id: options.raftId,
      server,
      tls: options.tls,
      clusterId: options.clusterId,
      logger,
      membership: membershipHandlers(() => role, control),
    });
    addControlService(
      server,
      router.forwardHandler,
      logsForwardHandler(() => endpoint.current?.logs),
    );
    for (const peer of options.peers) transport.addPeer(peer.raftId, peer.addr);
    let reachability: ReachabilityTracker | undefined;
    const manager = await Manager.open({
      id: options.raftId,
      initialMembers: options.initialMembers,
      transport,
      log: { walDir: options.walDir, ...(options.walCipher ? { cipher: options.walCipher } : {}) },
      logger,
      raft: { electionTick: RAFT_ELECTION_TICK, heartbeatTick: RAFT_HEARTBEAT_TICK },
      driver: {
        tickMs: RAFT_TICK_MS,
        snapshotEveryEntries: options.snapshot?.everyEntries ?? RAFT_SNAPSHOT_EVERY_ENTRIES,
        compactionKeepEntries: options.snapshot?.keepEntries ?? RAFT_COMPACTION_KEEP_ENTRIES,
        pipelineLeaderSends: true,
        onFatal: options.onFatal,
      },
      components: (state, clock) => [
        ...leaderComponents({
          store: state.store,
          clock,
          onError: (err, name) =>
            logger.warn("leader component error", { component: name, error: String(err) }),
          dispatcher: { endpoint, self: { nodeId: options.nodeId, addr: options.advertiseAddr } },
        }),
        () => new RoleManager(state, () => reachability?.reachable() ?? new Set(), logger),
        () =>
          new RootRotationFinisher(
            state.store,
            clock,
            (err) => logger.warn("root rotation: check failed; retrying", { error: String(err) }),
            () => logger.info("root CA rotation finished: the new root is the swarm's root"),
          ),
      ],
      onError: (err, what) => logger.debug("manager: recovered error", { what, error: String(err) }),
      runner: {
        onTransition: (e) => logger.info(e.running ? "became leader" : "stopped leading", { term: e.term }),
      },
    });
    addCaService(
      server,
      new CaServer(manager.state.store, {
        createNode: async (node) => {
          await control("internal.createNode", node);
        },
        recordRenewal: async (renewal) => {
          await control("internal.rootRotationRenewed", renewal);
        },
      }),
    );
    reachability = new ReachabilityTracker(manager.state, RAFT_TICK_MS * RAFT_ELECTION_TICK * 2);
    const previousLeader = new PreviousLeaderWatch(manager.state, endpoint, logger);
    const logs = new ManagerLogs({
      endpoint,
      tls: options.tls,
      clusterId: options.clusterId,
      leaderAddr: () => {
        const { isLeader, leaderId } = manager.state.leadership.current;
        return isLeader || leaderId === 0 ? undefined : role?.peerAddress(leaderId);
      },
    });
    role = new ManagerRole(server, transport, manager, reachability, peerBook, logs, leaderRelay);
    await server.start();
    manager.start();
    leaderRelay.start(manager.state);
    reachability.start();
    previousLeader.start();
    role.previousLeaderWatch = previousLeader;
    peerBook.start(manager.state, transport, options.onMembersChanged);
    logger.info("manager role started", { raftId: options.raftId, listen: server.address });
    return role;
  }

  /** The address the Raft transport dials a member at. */
  peerAddress(raftId: number): string | undefined {
    return (
      this.transport.peerAddress(raftId) ?? raftMembers(this.state).find((m) => m.raftId === raftId)?.addr
    );
  }

  reachableVoters(): ReadonlySet<number> {
    return this.reachability.reachable();
  }

  /** Stops the leader components, the Raft member (WAL closed) and the server. Idempotent. */
  async stop(): Promise<void> {
    this.peerBook.stop();
    this.previousLeaderWatch?.stop();
    this.logs.close();
    this.leaderRelay.stop();
    this.reachability.stop();
    await this.manager.stop();
    await this.server.stop(500);
  }
}

function membershipHandlers(
  role: () => ManagerRole | undefined,
  control: (procedure: string, input: unknown) => Promise<unknown>,
): RaftMembershipHandlers {
  return {
    async join(request, context) {
      const nodeId = context.peer?.nodeId;
      if (!nodeId) throw new RpcError("UNAUTHENTICATED", "Join needs a manager certificate");
      const result = (await control("internal.raftJoin", { nodeId, addr: request.addr })) as {
        raftId: number;
        members: RaftMemberInfo[];
      };
      return {
        raft_id: result.raftId,
        members: result.members.map((m) => ({ raft_id: m.raftId, node_id: m.nodeId, addr: m.addr })),
        removed: [],
      };
    },
    async leave(request) {
      await control("internal.raftLeave", { raftId: request.raft_id });
      return {};
    },
    async resolveAddress(request) {
      const addr = role()?.peerAddress(request.raft_id);
      if (!addr) throw new RpcError("NOT_FOUND", `no Raft member ${request.raft_id} is known here`);
      return { addr };
    },
  };
}
