/**
 * The overlay networks and DNS of one running node, fed by the dispatcher's Endpoints stream (its
 * `kind: "network"` entries): before a task's container is created, `attach` brings the task's
 * networks up on this node (bridge + VXLAN with the other nodes as peers, a Docker network on it)
 * and the node's DNS server on its own address there, and returns how the container joins every
 * one of them (`containerAttachment`: task addresses from the manager's IPAM, that DNS server). `apply` keeps
 * peers and DNS names current and takes down (DNS listener, Docker network, devices) the networks
 * no task of this node holds any more; a periodic sync retries what failed (a network whose last
 * container is still going). Operations run one at a time.
 */
import type { Task } from "@shoal/store";
import type Dockerode from "dockerode";
import { AgentError } from "../../errors.ts";
import type { ContainerNetworkAttachment } from "../../executor/docker/docker-executor.ts";
import { NODE_ID_LABEL, TASK_ID_LABEL } from "../../executor/docker/task-labels.ts";
import type { DnsServer } from "../dns/dns-server.ts";
import type { EndpointNetwork, NetworkTable } from "../mesh/endpoint-follower.ts";
import { addressOnly } from "../mesh/mesh-table.ts";
import { everyInterval, SerialQueue } from "../serial-sync.ts";
import { networksOfAddresses } from "../vip/vip-rules.ts";
import { type CommandRunner, localRunner } from "./command-runner.ts";
import { containerAttachment, type NetworkJoin } from "./container-attachment.ts";
import { NETWORK_ID_LABEL, OverlayNetworks } from "./overlay-networks.ts";
import { hostAddressOf, vxlanIdOf } from "./overlay-plan.ts";

export interface TaskNetworksOptions {
  nodeId: string;
  docker: Dockerode;
  dns: DnsServer;
  run?: CommandRunner;
  /** How long `attach` waits for the table to list the task's network with this node on it. */
  attachWaitMs?: number;
  /** Pause between syncs that retry removals and adopt networks left by a previous run. */
  syncIntervalMs?: number;
  onError?: (err: unknown) => void;
}

/** Named limits: the defaults of the options above. */
const ATTACH_WAIT_MS = 30_000;
const SYNC_INTERVAL_MS = 5_000;

interface Up {
  dnsAddress: string;
  subnet: string;
  peers: string;
}

export class TaskNetworks {
  private table: NetworkTable = new Map();
  private overlays: OverlayNetworks | undefined;
  /** Invariant: networks brought up here → their DNS address and the peers last given. */
  private readonly up = new Map<string, Up>();
  private readonly waiters = new Set<() => void>();
  private readonly queue = new SerialQueue();
  private readonly stopper = new AbortController();
  private timer: Promise<void> | undefined;
  private readonly run: CommandRunner;

  constructor(private readonly options: TaskNetworksOptions) {
    this.run = options.run ?? localRunner();
  }

  /** Starts the periodic sync. */
  start(): void {
    const onError = (err: unknown) => this.options.onError?.(err);
    this.timer ??= everyInterval(
      this.options.syncIntervalMs ?? SYNC_INTERVAL_MS,
      this.stopper.signal,
      async () => {
        await this.serial(() => this.sync()).catch(onError);
        await this.relearnClients().catch(onError);
      },
    );
  }

  /** Stops the sync. Networks, devices and DNS listeners stay (containers keep running). */
  async stop(): Promise<void> {
    this.stopper.abort();
    this.wake();
    await this.timer;
    await this.queue.idle();
  }

  /** A new table: DNS names at once, then peers and removals. */
  async apply(table: NetworkTable): Promise<void> {
    this.table = table;
    this.options.dns.apply({
      networks: [...table.values()].map((e) => ({ networkId: e.network.id, services: e.dns })),
    });
    this.wake();
    await this.serial(() => this.sync());
  }

  /**
   * Brings every overlay network of the task up here and says how its container joins them all
   * (the first at create, the others connected before start). The node's DNS server on the first
   * network answers the names of each of them for this task's addresses.
   */
  async attach(task: Task, signal: AbortSignal): Promise<ContainerNetworkAttachment | undefined> {
    const joins: Array<NetworkJoin & { networkId: string }> = [];
    for (const attachment of task.networksAttachments) {
      const address = attachment.addresses[0];
      if (!address) continue;
      const entry = await this.waitForEntry(attachment.networkId, signal);
      if (entry.network.spec.ingress === true) continue;
      const dockerNetwork = await this.serial(() => this.bringUp(entry));
      joins.push({ dockerNetwork, taskAddress: address, networkId: entry.network.id });
    }
    if (joins.length === 0) return undefined;
    const networkIds = joins.map((j) => j.networkId);
    for (const j of joins) this.options.dns.setClientNetworks(addressOnly(j.taskAddress), networkIds);
    return containerAttachment(joins, this.up.get(joins[0]!.networkId)!.dnsAddress);
  }

  /**
   * Another node on this host (same underlay address: a laptop cluster, the test suites) still
   * has tasks on the network: the shared bridge and Docker network stay for it.
   */
  private neighbourNeeds(networkId: string): boolean {
    const entry = this.table.get(networkId);
    const here =
      this.overlays?.localAddress ?? [...this.table.values()].map((e) => this.mine(e)?.address).find(Boolean);
    if (!entry || !here) return false;
    return entry.nodes.some((n) => n.nodeId !== this.options.nodeId && n.address === here);
  }

  private mine(entry: EndpointNetwork | undefined) {
    return entry?.nodes.find((n) => n.nodeId === this.options.nodeId);
  }

  private async waitForEntry(networkId: string, signal: AbortSignal): Promise<EndpointNetwork> {
    const deadline = Date.now() + (this.options.attachWaitMs ?? ATTACH_WAIT_MS);
    for (;;) {
      const entry = this.table.get(networkId);
      if (entry && (entry.network.spec.ingress === true || this.mine(entry))) return entry;
      if (signal.aborted || this.stopper.signal.aborted)
        throw new AgentError("NETWORK_ATTACH_FAILED", "aborted");
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new AgentError(
          "NETWORK_ATTACH_FAILED",
          `network ${networkId} did not reach this node from the manager within ${this.options.attachWaitMs ?? ATTACH_WAIT_MS} ms`,
        );
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          this.waiters.delete(done);
          signal.removeEventListener("abort", done);
          resolve();
        };
        const t = setTimeout(done, Math.min(left, 1_000));
        this.waiters.add(done);
        signal.addEventListener("abort", done, { once: true });
      });
    }
  }

  /** ensure + DNS listener for one network (serialised). Returns the Docker network's id. */
  private async bringUp(entry: EndpointNetwork): Promise<string> {
    const me = this.mine(entry);
    if (!me)
      throw new AgentError("NETWORK_ATTACH_FAILED", `network ${entry.network.id} does not list this node`);
    const overlays = await this.overlaysFor(me.address);
    const subnet = entry.network.ipam[0]?.subnet;
    if (!subnet)
      throw new AgentError("NETWORK_ATTACH_FAILED", `network ${entry.network.id} has no subnet yet`);
    const options = (entry.network as { driverState?: { options?: Record<string, string> } }).driverState
      ?.options;
    const hostAddress = hostAddressOf(subnet, me.index);
    const peers = entry.nodes.map((n) => n.address).filter((a) => a !== me.address);
    const dockerId = await overlays.ensure(
      {
        networkId: entry.network.id,
        dockerName: `shoal-${entry.network.spec.name}`,
        vxlanId: vxlanIdOf({
          id: entry.network.id,
          ...(options ? { driverState: { name: "overlay", options } } : {}),
        }),
        subnet,
        hostAddress,
      },
      peers,
    );
    if (this.up.get(entry.network.id)?.dnsAddress !== hostAddress) {
      await this.options.dns.listen(hostAddress, entry.network.id);
    }
    this.up.set(entry.network.id, { dnsAddress: hostAddress, subnet, peers: peers.join(",") });
    return dockerId;
  }

  /** Peers of the networks up here; adopts those a previous run left; removes those not needed. */
  private async sync(): Promise<void> {
    const listed = await this.options.docker
      .listNetworks({ filters: JSON.stringify({ label: [NETWORK_ID_LABEL] }) })
      .catch(() => undefined);
    const local = new Set(
      (listed ?? []).map((n) => n.Labels?.[NETWORK_ID_LABEL]).filter((id) => id !== undefined),
    );
    const needed = new Set<string>();
    for (const [id, entry] of this.table)
      if (entry.network.spec.ingress !== true && this.mine(entry)) needed.add(id);
    const errors: unknown[] = [];
    for (const id of needed) {
      const entry = this.table.get(id)!;
      const held = this.up.get(id);
      if (!held && !local.has(id)) continue; // no task of ours has started on it yet
      const me = this.mine(entry)!;
      const peers = entry.nodes
        .map((n) => n.address)
        .filter((a) => a !== me.address)
        .join(",");
      if (held && held.peers === peers) continue;
      await this.bringUp(entry).catch((err) => errors.push(err));
    }
    if (listed === undefined) return;
    for (const id of new Set([...this.up.keys(), ...local])) {
      if (needed.has(id)) continue;
      try {
        const held = this.up.get(id);
        if (held) await this.options.dns.unlisten(held.dnsAddress);
        // Removal needs no underlay: a network left by a previous run goes before any attach.
        const overlays =
          this.overlays ??
          new OverlayNetworks({
            run: this.run,
            docker: this.options.docker,
            underlayDevice: "",
            localAddress: "",
          });
        if (!this.neighbourNeeds(id)) await overlays.remove(id);
        else if (held) await overlays.releaseHostAddress(id, held.dnsAddress, held.subnet);
        this.up.delete(id);
        this.options.dns.forgetNetwork(id);
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw errors[0];
  }

  /**
   * The DNS server's multi-network clients from the running task containers of this node (their
   * addresses on Shoal networks): after a restart, what `attach` told it is rebuilt from them.
   */
  private async relearnClients(): Promise<void> {
    const listed = await this.options.docker.listContainers({
      filters: JSON.stringify({
        label: [TASK_ID_LABEL, `${NODE_ID_LABEL}=${this.options.nodeId}`],
        status: ["running"],
      }),
    });
    for (const c of listed) {
      const addresses = Object.values(c.NetworkSettings?.Networks ?? {})
        .map((n) => n.IPAddress)
        .filter((a) => Boolean(a));
      const networkIds = networksOfAddresses(this.table, addresses);
      if (networkIds.length < 2) continue;
      for (const a of addresses) this.options.dns.setClientNetworks(a, networkIds);
    }
  }

  /** The overlays' underlay: the device holding this node's address (as the manager knows it). */
  private async overlaysFor(localAddress: string): Promise<OverlayNetworks> {
    if (this.overlays) return this.overlays;
    const links = JSON.parse(await this.run(["ip", "-j", "-4", "addr", "show"])) as Array<{
      ifname: string;
      addr_info?: Array<{ local?: string }>;
    }>;
    const link = links.find((l) => (l.addr_info ?? []).some((a) => a.local === localAddress));
    if (!link) {
      throw new AgentError(
        "NETWORK_ATTACH_FAILED",
        `no device on this host has the node's address ${localAddress} (overlays need it as their underlay)`,
      );
    }
    this.overlays = new OverlayNetworks({
      run: this.run,
      docker: this.options.docker,
      underlayDevice: link.ifname,
      localAddress,
    });
    return this.overlays;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.run(fn);
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
