/**
 * The node's agent component: runs on every node in a swarm (managers too). An `AgentSession`
 * with the leader's dispatcher (any manager of the list; the list the dispatcher sends replaces
 * it) registers the node, heartbeats, streams assignments and reports task status; the `Agent`
 * runs the tasks as containers on the local Docker Engine, labelled with this node's id so that
 * several nodes can share one engine. The session also renews the node certificate at the time
 * `@shoal/ca`'s renewalTime picks (written to the data directory, reloaded into the node's TLS
 * material). The routing mesh listens on every ingress-published port and forwards by the
 * dispatcher's cluster-wide endpoint table (EndpointFollower); a task leaves it before its
 * container gets the stop signal. The same stream carries the overlay networks: before a task's
 * container is created, TaskNetworks brings its network up on this node (bridge + VXLAN to the
 * other nodes with tasks on it, a Docker network) with the node's DNS server on its own address
 * there, keeps peers and names current, and takes down networks no task here holds. VipBalancer
 * makes service VIPs carry traffic: DNAT rules in each task container's namespace to the tasks in
 * rotation, written when the container starts and kept current from the same stream; a stopping
 * task leaves them (and the mesh) before its stop signal.
 * Start: session, mesh, then agent; stop in reverse. Containers keep running on stop.
 */
import {
  Agent,
  AgentSession,
  connectEngine,
  DEFAULT_AGENT_LIMITS,
  DnsServer,
  DockerExecutor,
  EndpointFollower,
  engineAddressFromEnv,
  LogServer,
  RoutingMesh,
  readResolvConf,
  TaskNetworks,
  VipBalancer,
} from "@shoal/agent";
import type { KeyFileEncryption } from "@shoal/ca";
import type { Logger } from "@shoal/raft";
import type { TlsMaterialSource } from "@shoal/rpc";
import type { Node, Task } from "@shoal/store";

export interface AgentRoleOptions {
  readonly nodeId: string;
  readonly clusterId: string;
  readonly hostname: string;
  readonly dockerHost?: string;
  /** The node's TLS material (shared with its manager server; renewals reload it). */
  readonly tls: TlsMaterialSource;
  /** Where renewed credentials are written (the data directory's certificates/). */
  readonly certificateDir: string;
  /** How a renewed key is stored (encrypted on an autolocked manager). */
  readonly keyFileEncryption: () => KeyFileEncryption;
  /** Managers to dial first ("host:port"). */
  readonly managers: readonly string[];
  readonly logger: Logger;
  /** The dispatcher's manager list, leader first, when it changes (persist it for restarts). */
  readonly onManagers?: (addrs: readonly string[]) => void;
  /** The node's own record as the dispatcher sends it. */
  readonly onNode?: (node: Node) => void;
  /** The roots the dispatcher says to trust (two during a root CA rotation). */
  readonly onRootCa?: (rootCaPem: string) => void;
  /** Where the routing mesh listens; default 0.0.0.0. */
  readonly meshListenHost?: string;
  /** How long a leaving task with ingress ports or networks keeps running after it left rotation (default 500 ms). */
  readonly meshDrainMs?: number;
}

/** Named limit: the default pause between leaving the mesh and the stop signal (see README). */
const MESH_DRAIN_MS = 500;

function hasIngressPorts(task: Task): boolean {
  return (task.endpoint?.ports ?? []).some((p) => p.publishMode === "ingress");
}

/** Whether other tasks may reach the task by a VIP or a network address (it is on a network). */
function isOnNetworks(task: Task): boolean {
  return task.networksAttachments.some((a) => a.addresses.length > 0);
}

/** Status batching for a node process: a task's state reaches the manager within ~50 ms. */
const AGENT_LIMITS = { statusBatchGapMs: 10, statusBatchDelayMsMax: 200 } as const;

/** Whether a Docker Engine answers at `address` (default DOCKER_HOST or docker's socket). */
export async function checkDockerEngine(
  address: string = engineAddressFromEnv(),
): Promise<{ address: string; available: boolean; error?: string }> {
  const executor = new DockerExecutor(address, DEFAULT_AGENT_LIMITS);
  try {
    await executor.describeNode();
    return { address, available: true };
  } catch (error) {
    return { address, available: false, error: String(error) };
  } finally {
    await executor.close();
  }
}

export class AgentRole {
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly engineAddress: string,
    readonly engineAvailable: boolean,
    readonly session: AgentSession,
    readonly agent: Agent,
    private readonly logs: LogServer,
    readonly mesh: RoutingMesh,
    private readonly endpoints: EndpointFollower,
    readonly networks: TaskNetworks,
    private readonly dns: DnsServer,
    readonly vips: VipBalancer,
  ) {}

  static async start(options: AgentRoleOptions): Promise<AgentRole> {
    const { logger } = options;
    const engineAddress = options.dockerHost ?? engineAddressFromEnv();
    if (options.managers.length === 0) throw new Error("the agent needs at least one manager address");
    const engine = await checkDockerEngine(engineAddress);
    if (!engine.available) {
      logger.warn(
        `no Docker Engine answers at ${engineAddress}: tasks cannot run on this node; the rest of the node works`,
        { error: engine.error },
      );
    }
    let agent: Agent | undefined;
    const session = new AgentSession({
      managers: options.managers,
      tls: options.tls,
      clusterId: options.clusterId,
      certificateDir: options.certificateDir,
      keyFileEncryption: options.keyFileEncryption,
      // The node's host name in the swarm is the one it was started with (default: the OS's).
      describeNode: async () => ({ ...(await agent!.describeNode()), hostname: options.hostname }),
      ...(options.onNode ? { onNode: options.onNode } : {}),
      ...(options.onRootCa ? { onRootCa: options.onRootCa } : {}),
      onManagers: (addrs) => {
        logger.debug("agent: manager list", { managers: addrs });
        options.onManagers?.(addrs);
      },
      onError: (error) => logger.debug("agent session: recovered", { error: String(error) }),
    });
    const mesh = new RoutingMesh({
      listenHost: options.meshListenHost ?? "0.0.0.0",
      onError: (error) => logger.warn("routing mesh", { error: String(error) }),
    });
    const dns = new DnsServer({
      upstreams: readResolvConf(),
      onError: (error) => logger.debug("dns", { error: String(error) }),
    });
    const networks = new TaskNetworks({
      nodeId: options.nodeId,
      docker: connectEngine(engineAddress),
      dns,
      onError: (error) => logger.warn("overlay networks", { error: String(error) }),
    });
    const vips = new VipBalancer({
      nodeId: options.nodeId,
      docker: connectEngine(engineAddress),
      onError: (error) => logger.warn("service VIPs", { error: String(error) }),
    });
    const endpoints = new EndpointFollower({
      source: session,
      apply: (table) => mesh.apply(table),
      // Not awaited: bringing a network up or down must not hold the mesh's next table.
      applyNetworks: async (table) => {
        void networks
          .apply(table)
          .catch((error) => logger.warn("overlay networks", { error: String(error) }));
        void vips.apply(table).catch((error) => logger.warn("service VIPs", { error: String(error) }));
      },
      onError: (error) => logger.debug("routing mesh endpoints: recovered", { error: String(error) }),
    });
    const drainMs = options.meshDrainMs ?? MESH_DRAIN_MS;
    agent = new Agent({
      nodeId: options.nodeId,
      source: session,
      reporter: session,
      engineAddress,
      hostname: options.hostname,
      limits: AGENT_LIMITS,
      // Out of this node's mesh at once; the pause lets the other nodes' meshes (which dropped the
      // task when its desired state left RUNNING) and in-flight requests finish before the signal.
      beforeTaskStop: async (task) => {
        mesh.removeTask(task.id);
        await vips.removeTask(task).catch((error) => logger.warn("service VIPs", { error: String(error) }));
        if (hasIngressPorts(task) || isOnNetworks(task)) {
          await new Promise((resolve) => setTimeout(resolve, drainMs));
        }
      },
      attachTask: (task, signal) => networks.attach(task, signal),
      containerStarted: (containerId) => vips.containerStarted(containerId),
      onError: (error) => logger.debug("agent: recovered", { error: String(error) }),
    });
    session.start();
    endpoints.start();
    networks.start();
    vips.start();
    await agent.start();
    const logs = new LogServer({
      channel: session,
      source: agent,
      onError: (error) => logger.debug("agent logs: recovered", { error: String(error) }),
    });
    logs.start();
    logger.info("agent started", { engine: engineAddress, managers: options.managers });
    return new AgentRole(
      engineAddress,
      engine.available,
      session,
      agent,
      logs,
      mesh,
      endpoints,
      networks,
      dns,
      vips,
    );
  }

  /** Drops the session (a new one opens with the current certificate). */
  reconnect(reason: string): void {
    this.session.reconnect(reason);
  }

  /** Stops the agent, then the session (heartbeats stop). Containers keep running. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.logs.stop();
      await this.agent.stop();
      await this.endpoints.stop();
      await this.networks.stop();
      await this.vips.stop();
      await this.dns.close();
      await this.mesh.close();
      await this.session.stop();
    })();
    return this.stopping;
  }
}
