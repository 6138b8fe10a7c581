/**
 * One Shoal node process. In no swarm it waits for `swarmInit` or `swarmJoin`; in a swarm it runs
 * the agent everywhere and the manager component while its certificate says manager, switching
 * at run time on promote/demote (the role watcher). Restarting resumes from the data directory:
 * the same node id, certificates and Raft state. Role transitions run one at a time.
 */

import { rm } from "node:fs/promises";
import { hostname as osHostname } from "node:os";
import { SWARM_LOCKED_MESSAGE } from "@shoal/api";
import type { HistoryPage, HistoryRangeQuery } from "@shoal/api/history";
import {
  parseUnlockKey,
  readNodeCredentials,
  readRootCaCertificate,
  writeNodeCredentials,
  writeRootCaCertificate,
} from "@shoal/ca";
import type { Logger } from "@shoal/raft";
import { RaftMembershipClient, TlsMaterialSource } from "@shoal/rpc";
import type { NodeRole } from "@shoal/store";
import { AgentRole } from "./agent-role.ts";
import { AutolockFollower } from "./autolock/autolock-follower.ts";
import { ManagerKeys } from "./autolock/manager-keys.ts";
import { isInternalProcedure } from "./control-procedures.ts";
import { ControlRouter } from "./control-router.ts";
import { type DataDirLayout, dataDirLayout } from "./data-dir.ts";
import { rewriteAsSingleMember } from "./force-new-cluster.ts";
import type { RaftMemberInfo } from "./internal-procedures.ts";
import { removeNodeTaskContainers } from "./leave-containers.ts";
import { managerCounts, managerLeaveRefusal } from "./leave-refusal.ts";
import { ManagerRole } from "./manager-role.ts";
import { NodeError } from "./node-error.ts";
import type { NodeInfo, StartNodeOptions, SwarmInitInput, SwarmJoinInput } from "./node-options.ts";
import { type NodeStateFile, readNodeState, removeNodeState, writeNodeState } from "./node-state-file.ts";
import { RoleWatcher } from "./role-watcher.ts";
import { RootCaFollower } from "./root-ca-follower.ts";
import { seedSwarm, writeInitialObjects } from "./swarm-bootstrap.ts";
import { requestJoin } from "./swarm-join.ts";
import { waitForLeader } from "./wait-for-leader.ts";

export class ShoalNode {
  readonly layout: DataDirLayout;
  readonly logger: Logger;
  readonly hostname: string;
  private identity: NodeStateFile | undefined;
  private tls: TlsMaterialSource | undefined;
  private managerRole: ManagerRole | undefined;
  private agentRole: AgentRole | undefined;
  private watcher: RoleWatcher | undefined;
  private rootCaFollower: RootCaFollower | undefined;
  private readonly keys: ManagerKeys;
  private autolock: AutolockFollower | undefined;
  /** A manager that restarted with encrypted keys (autolock) and waits for `unlock`. */
  private locked = false;
  private readonly router: ControlRouter;
  private transitions: Promise<unknown> = Promise.resolve();
  private stopping: Promise<void> | undefined;
  private historyExport: ((range: HistoryRangeQuery) => Promise<HistoryPage>) | undefined;

  private constructor(
    private readonly options: Required<Pick<StartNodeOptions, "listenAddr">> & StartNodeOptions,
  ) {
    this.layout = dataDirLayout(options.dataDir);
    this.logger = options.logger;
    this.hostname = options.hostname ?? osHostname();
    this.keys = new ManagerKeys({
      dataKeyFile: this.layout.dataKeyFile,
      certificates: this.layout.certificates,
    });
    this.router = new ControlRouter({
      manager: () => this.managerRole,
      tls: () => this.tls,
      clusterId: () => this.identity?.clusterId ?? "",
      exportHistory: () => this.historyExport,
    });
  }

  /** Opens the data directory and resumes whatever the node was doing. */
  static async open(options: StartNodeOptions & { listenAddr: string }): Promise<ShoalNode> {
    const node = new ShoalNode(options);
    await node.serialized(() => node.resume());
    return node;
  }

  /** What the node is: swarm membership, role, leadership. */
  info(): NodeInfo {
    const id = this.identity;
    const leadership = this.managerRole?.state.leadership.current;
    return {
      swarm: this.locked ? "locked" : id ? "active" : "inactive",
      nodeId: id?.nodeId ?? "",
      clusterId: id?.clusterId ?? "",
      role: id?.role ?? "",
      raftId: id?.raftId ?? 0,
      isLeader: leadership?.isLeader ?? false,
      leaderRaftId: leadership?.leaderId ?? 0,
      listenAddr: this.options.listenAddr,
      advertiseAddr: id?.advertiseAddr ?? this.options.advertiseAddr ?? "",
      managers: id?.managers ?? [],
      engineAvailable: this.agentRole?.engineAvailable ?? false,
    };
  }

  /** A manager restarted under autolock and not unlocked yet. */
  get isLocked(): boolean {
    return this.locked;
  }

  /**
   * Runs a control procedure on the leader (here, or forwarded). Internal procedures are refused.
   * `actor` (`user:alice`) is recorded with every change the procedure commits.
   */
  async control(procedure: string, input: unknown, actor?: string): Promise<unknown> {
    if (isInternalProcedure(procedure)) throw new NodeError("invalid-argument", `"${procedure}" is internal`);
    if (!this.identity) throw notInSwarm();
    if (this.locked) throw new NodeError("locked", SWARM_LOCKED_MESSAGE);
    return this.router.call(procedure, input, actor);
  }

  /**
   * The history database's export, set while the node's HTTP server keeps one (http/history-feed):
   * as the leader, the node answers `internal.historyRange` with it.
   */
  setHistoryExport(fn: ((range: HistoryRangeQuery) => Promise<HistoryPage>) | undefined): void {
    this.historyExport = fn;
  }

  /** The leader's history rows of a range (for a manager whose store came from a snapshot). */
  async leaderHistory(range: HistoryRangeQuery): Promise<HistoryPage> {
    if (!this.identity) throw notInSwarm();
    return (await this.router.call(
      "internal.historyRange",
      range,
      `node:${this.identity.nodeId}`,
    )) as HistoryPage;
  }

  swarmInit(input: SwarmInitInput = {}): Promise<{ nodeId: string; clusterId: string; unlockKey?: string }> {
    return this.serialized(async () => {
      if (input.forceNewCluster) return this.forceNewCluster();
      if (this.identity) throw alreadyInSwarm();
      const advertiseAddr = input.advertiseAddr ?? this.options.advertiseAddr ?? this.options.listenAddr;
      const seed = await seedSwarm(input.rootCa);
      await this.storeCredentials(seed.root.certPem, {
        certChainPem: seed.certChainPem,
        keyPem: seed.keyPem,
      });
      this.identity = {
        version: 1,
        nodeId: seed.nodeId,
        clusterId: seed.clusterId,
        role: "manager",
        raftId: seed.raftId,
        managers: [{ raftId: seed.raftId, addr: advertiseAddr }],
        advertiseAddr,
      };
      await writeNodeState(this.layout.stateFile, this.identity);
      const role = await this.startManager([seed.raftId], []);
      await waitForLeader(role.state, (s) => s.isLeader);
      await writeInitialObjects(role.state.store, seed, {
        hostname: this.hostname,
        advertiseAddr,
        autolock: input.autolock,
      });
      await this.autolock?.followNow();
      await this.startWorkerParts();
      this.logger.info("swarm initialised", { nodeId: seed.nodeId, clusterId: seed.clusterId });
      const unlockKey = role.state.store.view((v) => v.clusters.all()[0]?.unlockKeys[0]?.key);
      return { nodeId: seed.nodeId, clusterId: seed.clusterId, ...(unlockKey ? { unlockKey } : {}) };
    });
  }

  swarmJoin(input: SwarmJoinInput): Promise<{ nodeId: string; role: NodeRole }> {
    return this.serialized(async () => {
      if (this.identity) throw alreadyInSwarm();
      const advertiseAddr = input.advertiseAddr ?? this.options.advertiseAddr ?? this.options.listenAddr;
      const joined = await requestJoin({ ...input, hostname: this.hostname, advertiseAddr });
      await this.storeCredentials(joined.rootCaPem, joined);
      this.identity = {
        version: 1,
        nodeId: joined.nodeId,
        clusterId: joined.clusterId,
        role: joined.role,
        raftId: 0,
        managers: [{ raftId: 0, addr: input.remoteAddr }],
        advertiseAddr,
      };
      await writeNodeState(this.layout.stateFile, this.identity);
      if (joined.role === "manager") await this.becomeManager();
      await this.startWorkerParts();
      this.logger.info("joined the swarm", { nodeId: joined.nodeId, role: joined.role });
      return { nodeId: joined.nodeId, role: joined.role };
    });
  }

  /** Leaves the swarm: a manager must be demoted first unless `force`. Forgets the swarm's state. */
  swarmLeave(input: { force?: boolean } = {}): Promise<void> {
    return this.serialized(async () => {
      if (!this.identity) throw notInSwarm();
      if (this.identity.role === "manager" && !input.force) {
        const counts = managerCounts(this.managerRole, this.identity.raftId);
        throw new NodeError("invalid-argument", managerLeaveRefusal(counts));
      }
      const engine = this.agentRole?.engineAddress;
      await this.stopRoles();
      if (engine) {
        const removed = await removeNodeTaskContainers(engine, this.identity.nodeId, this.logger);
        this.logger.info("swarm leave: removed this node's task containers", { count: removed });
      }
      await rm(this.layout.raft, { recursive: true, force: true });
      await rm(this.layout.certificates, { recursive: true, force: true });
      await this.keys.forget();
      this.locked = false;
      await removeNodeState(this.layout.stateFile);
      this.identity = undefined;
      this.tls = undefined;
      this.logger.info("left the swarm");
    });
  }

  /** Stops every component; containers keep running and are adopted on the next start. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.serialized(() => this.stopRoles()).then(() => this.router.close());
    return this.stopping;
  }

  /** The running manager component (tests, the API layer). */
  get manager(): ManagerRole | undefined {
    return this.managerRole;
  }

  /**
   * `swarm unlock`: opens a locked manager's keys with the unlock key and resumes it. Refused with
   * "invalid key" when the key is malformed or is not the one its keys are encrypted with.
   */
  unlock(input: { key: string }): Promise<void> {
    return this.serialized(async () => {
      if (!this.locked || !this.identity) throw new NodeError("invalid-argument", "swarm is not locked");
      let kek: Uint8Array;
      try {
        kek = parseUnlockKey(input.key);
      } catch (error) {
        throw new NodeError("invalid-argument", (error as Error).message);
      }
      if (!(await this.keys.unlock(kek))) {
        throw new NodeError("invalid-argument", "swarm could not be unlocked: invalid key provided");
      }
      this.locked = false;
      this.logger.info("unlocked: resuming the manager");
      await this.resumeInSwarm(this.identity);
    });
  }

  private async resume(): Promise<void> {
    const identity = await readNodeState(this.layout.stateFile);
    if (!identity) {
      this.logger.info("this node is in no swarm: waiting for swarm init or swarm join");
      return;
    }
    if (identity.role === "manager" && (await this.keys.isLocked())) {
      this.identity = identity;
      this.locked = true;
      this.logger.warn("this manager is locked (autolock): run `shoal swarm unlock` with the unlock key", {
        nodeId: identity.nodeId,
      });
      return;
    }
    await this.resumeInSwarm(identity);
  }

  private async resumeInSwarm(identity: NodeStateFile): Promise<void> {
    const credentials = await readNodeCredentials(
      this.layout.certificates,
      await this.keys.keyFileDecryption(),
    );
    const root = await readRootCaCertificate(this.layout.certificates);
    if (!credentials || !root) {
      throw new Error(
        `${this.layout.certificates} lacks the node's certificate or the root CA: leave the swarm (remove ${this.layout.stateFile}) and join again`,
      );
    }
    this.identity = identity;
    this.tls = new TlsMaterialSource({ ...credentials, trustBundlePem: root });
    if (identity.role === "manager") {
      if (identity.raftId === 0) await this.becomeManager();
      else await this.startManager([], identity.managers.filter((m) => m.raftId > 0) as RaftMemberInfo[]);
    }
    await this.startWorkerParts();
    this.logger.info("resumed", { nodeId: identity.nodeId, role: identity.role, raftId: identity.raftId });
  }

  private async storeCredentials(rootPem: string, credentials: { certChainPem: string; keyPem: string }) {
    await writeRootCaCertificate(this.layout.certificates, rootPem);
    await writeNodeCredentials(
      this.layout.certificates,
      { certChainPem: credentials.certChainPem, keyPem: credentials.keyPem },
      this.keys.keyFileEncryption(),
    );
    const material = {
      certChainPem: credentials.certChainPem,
      keyPem: credentials.keyPem,
      trustBundlePem: rootPem,
    };
    if (this.tls) this.tls.reload(material);
    else this.tls = new TlsMaterialSource(material);
  }

  /** Asks the leader (through any known manager) to add this node to Raft, then starts as a learner. */
  private async becomeManager(): Promise<void> {
    const identity = this.identity!;
    const candidates = identity.managers.map((m) => m.addr).filter((a) => a !== identity.advertiseAddr);
    let lastError: unknown;
    for (const addr of candidates) {
      const client = new RaftMembershipClient(addr, this.tls!, { clusterId: identity.clusterId });
      try {
        const joined = await client.join(identity.advertiseAddr, { deadlineMs: 15_000 });
        const members = joined.members.map((m) => ({ raftId: m.raft_id, nodeId: m.node_id, addr: m.addr }));
        await this.saveIdentity({ raftId: joined.raft_id, role: "manager", managers: members });
        await this.startManager([], members);
        return;
      } catch (error) {
        lastError = error;
        this.logger.warn("raft join through a manager failed; trying the next", {
          addr,
          error: String(error),
        });
      } finally {
        client.close();
      }
    }
    throw new NodeError("unreachable", `could not join Raft through any known manager: ${String(lastError)}`);
  }

  private async startManager(
    initialMembers: number[],
    peers: readonly RaftMemberInfo[],
  ): Promise<ManagerRole> {
    const identity = this.identity!;
    this.managerRole = await ManagerRole.start({
      raftId: identity.raftId,
      nodeId: identity.nodeId,
      advertiseAddr: identity.advertiseAddr,
      clusterId: identity.clusterId,
      listenAddr: this.options.listenAddr,
      walDir: this.layout.raft,
      walCipher: await this.keys.walCipher(),
      tls: this.tls!,
      initialMembers,
      peers,
      router: this.router,
      logger: this.logger,
      ...(this.options.raftSnapshot ? { snapshot: this.options.raftSnapshot } : {}),
      onMembersChanged: (members) => {
        void this.saveIdentity({ managers: members }).catch((error) =>
          this.logger.warn("could not save the manager list", { error: String(error) }),
        );
      },
      onFatal: (error) => this.logger.error("raft stopped on a fatal error: restart the node", { error }),
    });
    this.autolock = new AutolockFollower({
      store: this.managerRole.state.store,
      keys: this.keys,
      writeNodeKey: (encryption) => {
        const { certChainPem, keyPem } = this.tls!.current;
        return writeNodeCredentials(this.layout.certificates, { certChainPem, keyPem }, encryption);
      },
      logger: this.logger,
    });
    this.autolock.start();
    return this.managerRole;
  }

  private async startWorkerParts(): Promise<void> {
    const identity = this.identity!;
    this.rootCaFollower ??= new RootCaFollower({
      tls: this.tls!,
      certificateDir: this.layout.certificates,
      renew: async () => {
        if (!this.agentRole) throw new Error("the agent is not running");
        await this.agentRole.session.renewCertificate();
      },
      logger: this.logger,
    });
    this.agentRole ??= await AgentRole.start({
      nodeId: identity.nodeId,
      clusterId: identity.clusterId,
      hostname: this.hostname,
      tls: this.tls!,
      certificateDir: this.layout.certificates,
      keyFileEncryption: () => this.keys.keyFileEncryption(),
      managers: identity.managers.map((m) => m.addr),
      logger: this.logger,
      onManagers: (addrs) => void this.rememberManagers(addrs),
      onRootCa: (pem) => this.rootCaFollower?.handleRootCa(pem),
      ...(this.options.dockerHost ? { dockerHost: this.options.dockerHost } : {}),
      ...(this.options.meshListenHost ? { meshListenHost: this.options.meshListenHost } : {}),
    });
    this.watcher ??= new RoleWatcher({
      tls: this.tls!,
      clusterId: identity.clusterId,
      logger: this.logger,
      managers: () =>
        (this.identity?.managers ?? []).map((m) => m.addr).filter((a) => a !== this.identity?.advertiseAddr),
      currentRole: () => this.identity?.role ?? "worker",
      switchRole: (role, credentials) => this.serialized(() => this.switchRole(role, credentials)),
    });
    this.watcher.start();
  }

  /**
   * A worker keeps the dispatcher's manager list in its state file (a manager's list is the Raft
   * membership, kept by the peer book), so that after a restart it dials managers it learnt of.
   */
  private async rememberManagers(addrs: readonly string[]): Promise<void> {
    if (this.identity?.role !== "worker" || addrs.length === 0) return;
    const managers = addrs.map((addr) => ({ raftId: 0, addr }));
    if (JSON.stringify(managers) === JSON.stringify(this.identity.managers)) return;
    await this.saveIdentity({ managers }).catch((error) =>
      this.logger.warn("could not save the manager list", { error: String(error) }),
    );
  }

  private async switchRole(role: NodeRole, credentials: { certChainPem: string; keyPem: string }) {
    if (!this.identity || this.identity.role === role) return;
    if (role === "worker") {
      // Workers are never locked: the key is stored plain and the Raft data key goes.
      await this.autolock?.stop();
      this.autolock = undefined;
      await this.keys.forget();
    }
    await this.storeCredentials(this.tls!.current.trustBundlePem, credentials);
    this.agentRole?.reconnect(`the node's certificate now says ${role}: reconnecting with it`);
    if (role === "manager") {
      await this.saveIdentity({ role: "manager", raftId: 0 });
      await this.becomeManager();
    } else {
      await this.managerRole?.stop();
      this.managerRole = undefined;
      await rm(this.layout.raft, { recursive: true, force: true });
      await this.saveIdentity({ role: "worker", raftId: 0 });
    }
    this.logger.info("role changed", { role });
  }

  private async forceNewCluster(): Promise<{ nodeId: string; clusterId: string }> {
    const identity = this.identity;
    if (identity?.role !== "manager" || identity.raftId === 0) {
      throw new NodeError(
        "not-a-manager",
        "--force-new-cluster recovers a manager from its own state: run it on a manager",
      );
    }
    if (this.locked) throw new NodeError("locked", SWARM_LOCKED_MESSAGE);
    await this.autolock?.stop();
    this.autolock = undefined;
    await this.managerRole?.stop();
    this.managerRole = undefined;
    await rewriteAsSingleMember(this.layout.raft, identity.raftId, this.logger, await this.keys.walCipher());
    const self = { raftId: identity.raftId, nodeId: identity.nodeId, addr: identity.advertiseAddr };
    await this.saveIdentity({ managers: [self] });
    const role = await this.startManager([], []);
    await waitForLeader(role.state, (s) => s.isLeader);
    await role.state.store.update((tx) => {
      for (const node of tx.nodes.all()) {
        if (node.id === identity.nodeId || (node.spec.role !== "manager" && !node.managerStatus)) continue;
        tx.update("node", {
          ...node,
          spec: { ...node.spec, role: "worker" },
          role: "worker",
          managerStatus: undefined,
          status: { ...node.status, state: "down", message: "left behind by --force-new-cluster" },
        });
      }
    });
    return { nodeId: identity.nodeId, clusterId: identity.clusterId };
  }

  private async saveIdentity(change: Partial<NodeStateFile>): Promise<void> {
    if (!this.identity) return;
    this.identity = { ...this.identity, ...change };
    await writeNodeState(this.layout.stateFile, this.identity);
  }

  private async stopRoles(): Promise<void> {
    this.watcher?.stop();
    this.watcher = undefined;
    await this.rootCaFollower?.stop();
    this.rootCaFollower = undefined;
    await this.agentRole?.stop();
    this.agentRole = undefined;
    await this.autolock?.stop();
    this.autolock = undefined;
    await this.managerRole?.stop();
    this.managerRole = undefined;
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.transitions.then(fn, fn);
    this.transitions = run.catch(() => {});
    return run;
  }
}

function notInSwarm(): NodeError {
  return new NodeError(
    "not-in-swarm",
    "this node is not part of a swarm: run `shoal swarm init` or `shoal swarm join`",
  );
}

function alreadyInSwarm(): NodeError {
  return new NodeError(
    "already-in-swarm",
    "this node is already part of a swarm: leave it first (shoal swarm leave), or use --force-new-cluster to recover a manager",
  );
}
