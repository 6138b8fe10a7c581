/**
 * An in-process Shoal cluster for tests and benchmarks: N managers (real Raft, store and leader
 * components) over a simulated network, and M simulated agents whose nodes are registered READY
 * at start. Faults: kill/restart a manager, partition or isolate managers, network delay.
 */
import type { LoopTiming } from "@shoal/manager";
import type { NodeId } from "@shoal/raft";
import type { Node, ReadView, Store, WriteTx } from "@shoal/store";
import { DEFAULT_CLUSTER_SPEC } from "@shoal/store";
import { SimManager } from "./sim-manager.ts";
import { SimNetwork, type SimNetworkOptions } from "./sim-network.ts";
import { SimulatedAgents, type SimulatedAgentsOptions } from "./simulated-agents.ts";
import { type WaitOptions, waitUntil } from "./wait-for.ts";

export interface SimClusterOptions {
  readonly managers?: number;
  readonly agents?: number;
  readonly network?: SimNetworkOptions;
  /** Raft timing: tick length and election/heartbeat ticks. */
  readonly tickMs?: number;
  readonly electionTick?: number;
  readonly heartbeatTick?: number;
  readonly snapshotEveryEntries?: number;
  /** Debounce of the leader's loops. */
  readonly timing?: Partial<LoopTiming>;
  readonly agentOptions?: SimulatedAgentsOptions;
  /** What each simulated node offers. */
  readonly nodeResources?: { readonly nanoCpus: number; readonly memoryBytes: number };
  /** Labels of node i (0-based). */
  readonly nodeLabels?: (index: number) => Record<string, string>;
}

export const SIM_CLUSTER_DEFAULTS = Object.freeze({
  managers: 3,
  agents: 10,
  tickMs: 10,
  electionTick: 10,
  heartbeatTick: 1,
  snapshotEveryEntries: 10_000,
  timing: { gapMs: 10, delayMsMax: 100, retryDelayMs: 50 },
  nodeResources: { nanoCpus: 8_000_000_000, memoryBytes: 32 * 1024 ** 3 },
});

export class SimCluster {
  readonly network: SimNetwork;
  readonly managers: SimManager[];
  readonly agents: SimulatedAgents;
  /** Node ids of the simulated agents, in creation order. */
  readonly nodeIds: string[] = [];
  /** Errors the managers' loops reported (a healthy run may have a few version conflicts). */
  readonly errors: { component: string; error: unknown }[] = [];

  private constructor(private readonly options: SimClusterOptions) {
    const o = { ...SIM_CLUSTER_DEFAULTS, ...options };
    this.network = new SimNetwork(options.network);
    this.agents = new SimulatedAgents(options.agentOptions);
    const ids = Array.from({ length: o.managers }, (_, i) => i + 1);
    this.managers = ids.map(
      (id) =>
        new SimManager({
          id,
          members: ids,
          network: this.network,
          tickMs: o.tickMs,
          electionTick: o.electionTick,
          heartbeatTick: o.heartbeatTick,
          snapshotEveryEntries: o.snapshotEveryEntries,
          timing: o.timing,
          onTransition: (m, running) => this.handleTransition(m, running),
          onError: (error, component) => this.errors.push({ component, error }),
        }),
    );
  }

  /** Starts the managers, waits for a leader, registers the cluster object and the agents' nodes. */
  static async start(options: SimClusterOptions = {}): Promise<SimCluster> {
    const cluster = new SimCluster(options);
    await Promise.all(cluster.managers.map((m) => m.start()));
    await cluster.waitForLeader();
    await cluster.registerNodes(options.agents ?? SIM_CLUSTER_DEFAULTS.agents);
    return cluster;
  }

  /** The manager whose leader components run, if any. */
  leader(): SimManager | undefined {
    return this.managers.find((m) => m.isActiveLeader);
  }

  async waitForLeader(options: WaitOptions = {}): Promise<SimManager> {
    return waitUntil(() => this.leader(), { timeoutMs: 10_000, what: "a leader", ...options });
  }

  manager(id: NodeId): SimManager {
    const m = this.managers.find((x) => x.id === id);
    if (m === undefined) throw new Error(`no manager ${id}`);
    return m;
  }

  /**
   * Waits until `check` holds on the leader's store and returns what it returned (any value but
   * undefined/false/null). Throws after `timeoutMs` naming `what`.
   */
  waitFor<T>(check: (view: ReadView) => T | undefined | false | null, options: WaitOptions = {}): Promise<T> {
    return waitUntil(() => {
      const leader = this.leader();
      return leader === undefined ? undefined : leader.store.view(check);
    }, options);
  }

  /** Reads the leader's store. */
  view<T>(fn: (view: ReadView) => T): T {
    const leader = this.leader();
    if (leader === undefined) throw new Error("no leader");
    return leader.store.view(fn);
  }

  /**
   * Writes through the current leader. Retries (after a leader is back) only writes that surely
   * did not happen: no leader yet, or refused by a follower.
   */
  async update<T>(fn: (tx: WriteTx) => T, options: WaitOptions = {}): Promise<T> {
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    for (;;) {
      const leader = await this.waitForLeader({ timeoutMs: Math.max(1, deadline - Date.now()) });
      try {
        return (await leader.store.update(fn)).value;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code !== "proposal-dropped" || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  async killManager(id: NodeId): Promise<void> {
    await this.manager(id).kill();
  }

  async restartManager(id: NodeId): Promise<void> {
    await this.manager(id).start();
  }

  /** Kills the current leader and returns its id. */
  async killLeader(): Promise<NodeId> {
    const leader = await this.waitForLeader();
    await leader.kill();
    return leader.id;
  }

  partition(...groups: readonly (readonly NodeId[])[]): void {
    this.network.partition(...groups);
  }

  isolate(id: NodeId): void {
    this.network.isolate(id);
  }

  heal(): void {
    this.network.heal();
  }

  async stop(): Promise<void> {
    this.agents.stop();
    await Promise.all(this.managers.map((m) => m.kill()));
  }

  /** Sets a node's availability (drain moves its replicated tasks elsewhere). */
  async setAvailability(nodeId: string, availability: Node["spec"]["availability"]): Promise<void> {
    await this.update((tx) => {
      const node = tx.nodes.get(nodeId);
      if (node === undefined) throw new Error(`no node ${nodeId}`);
      tx.update("node", { ...node, spec: { ...node.spec, availability } });
    });
  }

  private handleTransition(manager: SimManager, running: boolean): void {
    if (running) this.agents.attach(manager.store);
    else if (!this.leader()) this.agents.attach(undefined);
  }

  private async registerNodes(count: number): Promise<void> {
    const resources = this.options.nodeResources ?? SIM_CLUSTER_DEFAULTS.nodeResources;
    const hasCluster = this.view((v) => v.clusters.all().length > 0);
    if (!hasCluster) await this.update((tx) => createClusterObject(tx));
    const leader = await this.waitForLeader();
    const ids = await registerSimulatedNodes(leader.store, count, resources, this.options.nodeLabels);
    for (const id of ids) {
      this.nodeIds.push(id);
      this.agents.add(id);
    }
  }
}

export function createClusterObject(tx: WriteTx): string {
  return tx.create("cluster", {
    spec: DEFAULT_CLUSTER_SPEC,
    rootCa: {
      caCertPem: "simulated",
      caKeyPem: "simulated",
      caCertHash: "00",
      joinTokens: { worker: "SWMTKN-1-sim-worker", manager: "SWMTKN-1-sim-manager" },
    },
    unlockKeys: [],
  });
}

/** Named limit: nodes registered per transaction. */
export const NODES_PER_TRANSACTION_MAX = 500;

/** Creates `count` READY, active worker nodes named sim-node-N; returns their ids in order. */
export async function registerSimulatedNodes(
  store: Store,
  count: number,
  resources: { readonly nanoCpus: number; readonly memoryBytes: number },
  labels?: (index: number) => Record<string, string>,
): Promise<string[]> {
  const ids: string[] = [];
  for (let first = 0; first < count; first += NODES_PER_TRANSACTION_MAX) {
    const last = Math.min(count, first + NODES_PER_TRANSACTION_MAX);
    const { value } = await store.update((tx) => {
      const made: string[] = [];
      for (let i = first; i < last; i++) made.push(tx.create("node", simulatedNode(i, resources, labels)));
      return made;
    });
    ids.push(...value);
  }
  return ids;
}

function simulatedNode(
  i: number,
  resources: { readonly nanoCpus: number; readonly memoryBytes: number },
  labels?: (index: number) => Record<string, string>,
): Omit<Node, "id" | "version" | "createdAtMs" | "updatedAtMs"> {
  return {
    spec: { labels: labels?.(i) ?? {}, role: "worker", availability: "active" },
    description: {
      hostname: `sim-node-${i + 1}`,
      platform: { os: "linux", arch: "x86_64" },
      resources,
      engine: { version: "simulated-executor", labels: {} },
    },
    status: { state: "ready", message: "simulated agent", addr: simulatedAddress(i) },
    role: "worker",
  };
}

function simulatedAddress(i: number): string {
  return `10.${100 + Math.floor(i / 65_536)}.${Math.floor(i / 256) % 256}.${i % 256}`;
}
