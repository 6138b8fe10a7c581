import {
  type Endpoint,
  type Network,
  type Node,
  type ReadView,
  type Service,
  type Task,
  TaskState,
} from "@shoal/store";
import { AddressPool } from "./address-pool.ts";
import { addressOf, formatSubnet, parseSubnet } from "./ipv4.ts";
import { NodeAddressIndexes } from "./node-address-indexes.ts";
import { PortAllocator, type PortRange } from "./port-allocator.ts";
import { type AddressPools, SubnetAllocator } from "./subnet-allocator.ts";

/** Where swarm keeps an overlay network's VXLAN id (the agent reads it there). */
export const VXLAN_ID_OPTION = "com.docker.network.driver.overlay.vxlanid_list";
/** Overlay VXLAN ids start here (swarm's range). */
const VXLAN_ID_MIN = 4_096;

/** The message of a task the allocator has moved to PENDING. */
export const ALLOCATED_MESSAGE = "pending task scheduling";

export interface AllocatorConfig {
  readonly pools?: AddressPools;
  readonly ports?: PortRange;
}

/**
 * What is allocated, as the store says: subnets of networks, published ports and VIPs of
 * services, addresses of live tasks, each node's slot among the networks' node addresses. Built from a view; kept up to date from changes; nothing is
 * only in memory (rebuilding from the same store gives the same state).
 */
export class AllocatorState {
  readonly subnets: SubnetAllocator;
  readonly ports: PortAllocator;
  readonly nodeIndexes = new NodeAddressIndexes();
  /** Network id → its address pool (allocated networks only). */
  readonly pools = new Map<string, AddressPool>();
  /** VXLAN ids overlay networks hold (network id → id). */
  private readonly vxlanIds = new Map<string, number>();
  /** Invariant: the addresses each service (VIPs) and live task holds, as [networkId, ip]. */
  private readonly held = new Map<string, [string, number][]>();

  constructor(config: AllocatorConfig = {}) {
    this.subnets = new SubnetAllocator(config.pools);
    this.ports = new PortAllocator(config.ports);
  }

  static fromView(
    view: Pick<ReadView, "networks" | "services" | "tasks" | "nodes">,
    config: AllocatorConfig = {},
  ): AllocatorState {
    const state = new AllocatorState(config);
    for (const n of view.nodes.all()) state.putNode(n);
    for (const n of view.networks.all()) state.putNetwork(n);
    for (const s of view.services.all()) state.putService(s);
    for (const t of view.tasks.all()) state.putTask(t);
    return state;
  }

  /** Takes in a node's stored slot; false when it has none yet (or one another node holds). */
  putNode(node: Node): boolean {
    return this.nodeIndexes.put(node);
  }

  removeNode(nodeId: string): void {
    this.nodeIndexes.remove(nodeId);
  }

  /** Gives a node without one its slot among the networks' node addresses; returns the node to write. */
  allocateNode(node: Node): Node {
    return { ...node, networkAddressIndex: this.nodeIndexes.allocate(node.id) };
  }

  /** The ingress network, when there is one and it is allocated. */
  ingressNetworkId: string | undefined;

  putNetwork(network: Network): void {
    if (network.spec.ingress) this.ingressNetworkId = network.id;
    const vxlan = Number(network.driverState?.options[VXLAN_ID_OPTION]);
    if (Number.isInteger(vxlan) && vxlan > 0) this.vxlanIds.set(network.id, vxlan);
    const config = network.ipam[0];
    if (config === undefined || this.pools.has(network.id)) return;
    const subnet = parseSubnet(config.subnet);
    this.subnets.reserve(network.id, subnet);
    this.pools.set(network.id, new AddressPool(network.id, subnet));
  }

  removeNetwork(networkId: string): void {
    this.subnets.release(networkId);
    this.pools.delete(networkId);
    this.vxlanIds.delete(networkId);
    if (this.ingressNetworkId === networkId) this.ingressNetworkId = undefined;
  }

  /** Gives a network its subnet; returns the network to write. */
  allocateNetwork(network: Network): Network {
    const requested = network.spec.ipam.configs[0];
    const subnet = this.subnets.allocate(network.id, requested?.subnet || undefined);
    const pool = new AddressPool(network.id, subnet);
    this.pools.set(network.id, pool);
    if (network.spec.ingress) this.ingressNetworkId = network.id;
    const allocated: Network = {
      ...network,
      ipam: [{ subnet: formatSubnet(subnet), gateway: requested?.gateway || pool.gateway }],
    };
    if (network.spec.driver.name !== "overlay") return allocated;
    const vxlanId = this.vxlanIdFor(network);
    this.vxlanIds.set(network.id, vxlanId);
    const driverState = network.driverState ?? { name: "overlay", options: {} };
    return {
      ...allocated,
      driverState: {
        ...driverState,
        options: { ...driverState.options, [VXLAN_ID_OPTION]: String(vxlanId) },
      },
    };
  }

  /** The network's VXLAN id: the one it holds, else the lowest free from VXLAN_ID_MIN (as swarm). */
  private vxlanIdFor(network: Network): number {
    const held = this.vxlanIds.get(network.id);
    if (held !== undefined) return held;
    const used = new Set(this.vxlanIds.values());
    let id = VXLAN_ID_MIN;
    while (used.has(id)) id++;
    return id;
  }

  putService(service: Service): void {
    if (service.endpoint === undefined) return;
    this.ports.reserve(service.id, service.endpoint.ports);
    this.hold(
      service.id,
      service.endpoint.virtualIps.map((v) => [v.networkId, v.addr]),
    );
  }

  removeService(serviceId: string): void {
    this.ports.releaseService(serviceId);
    this.release(serviceId);
  }

  putTask(task: Task): void {
    if (isTaskDead(task)) this.release(task.id);
    else
      this.hold(
        task.id,
        task.networksAttachments.flatMap((a) =>
          a.addresses.map((addr) => [a.networkId, addr] as [string, string]),
        ),
      );
  }

  removeTask(taskId: string): void {
    this.release(taskId);
  }

  /** The networks a service's tasks attach to: its own, plus ingress when it publishes ingress ports. */
  networksOf(service: Service): string[] {
    const ids = service.spec.taskTemplate.networks.map((n) => n.target);
    const ingress = service.spec.endpointSpec.ports.some((p) => p.publishMode === "ingress");
    if (ingress && this.ingressNetworkId !== undefined && !ids.includes(this.ingressNetworkId)) {
      ids.unshift(this.ingressNetworkId);
    }
    return ids;
  }

  /** Whether the service's endpoint matches its spec and has a VIP on each of its networks. */
  isServiceAllocated(service: Service): boolean {
    const e = service.endpoint;
    if (e === undefined || JSON.stringify(e.spec) !== JSON.stringify(service.spec.endpointSpec)) return false;
    if (service.spec.endpointSpec.mode !== "vip") return e.virtualIps.length === 0;
    const have = new Set(e.virtualIps.map((v) => v.networkId));
    return this.networksOf(service).every((id) => have.has(id)) && e.virtualIps.length === have.size;
  }

  /**
   * Allocates the service's ports and VIPs (all or nothing); returns the endpoint to write, or
   * undefined while one of its networks is not allocated yet.
   */
  allocateService(service: Service): Endpoint | undefined {
    const networks = this.networksOf(service);
    if (networks.some((id) => !this.pools.has(id))) return undefined;
    const previous = service.endpoint;
    const ports = this.ports.allocate(service.id, service.spec.endpointSpec, previous?.ports);
    const virtualIps: Endpoint["virtualIps"] = [];
    if (service.spec.endpointSpec.mode === "vip") {
      const kept = new Map((previous?.virtualIps ?? []).map((v) => [v.networkId, v.addr]));
      this.release(service.id);
      try {
        for (const id of networks) {
          const pool = this.pools.get(id) as AddressPool;
          const old = kept.get(id);
          const ip = old === undefined ? undefined : addressOf(old);
          virtualIps.push({
            networkId: id,
            addr: ip !== undefined && pool.reserve(ip) ? (old as string) : pool.allocate(),
          });
        }
      } catch (e) {
        for (const v of virtualIps) this.freeAddress(v.networkId, v.addr);
        throw e;
      }
    } else {
      this.release(service.id);
    }
    this.hold(
      service.id,
      virtualIps.map((v) => [v.networkId, v.addr]),
      false,
    );
    return { spec: service.spec.endpointSpec, ports, virtualIps };
  }

  /** Gives a NEW task an address on each of its service's networks and moves it to PENDING. */
  allocateTask(task: Task, service: Service, nowMs: number): Task | undefined {
    const networks = this.networksOf(service);
    if (networks.some((id) => !this.pools.has(id))) return undefined;
    const aliases = new Map(service.spec.taskTemplate.networks.map((n) => [n.target, n.aliases]));
    const attachments: Task["networksAttachments"] = [];
    try {
      for (const id of networks) {
        const addr = (this.pools.get(id) as AddressPool).allocate();
        attachments.push({ networkId: id, addresses: [addr], aliases: [...(aliases.get(id) ?? [])] });
      }
    } catch (e) {
      for (const a of attachments) for (const addr of a.addresses) this.freeAddress(a.networkId, addr);
      throw e;
    }
    const allocated: Task = {
      ...task,
      networksAttachments: attachments,
      ...(service.endpoint === undefined ? {} : { endpoint: service.endpoint }),
      status: { ...task.status, state: TaskState.Pending, message: ALLOCATED_MESSAGE, timestampMs: nowMs },
    };
    this.putTask(allocated);
    return allocated;
  }

  private hold(ownerId: string, addresses: [string, string][], reserve = true): void {
    this.release(ownerId);
    const held: [string, number][] = [];
    for (const [networkId, addr] of addresses) {
      const ip = addressOf(addr);
      const pool = this.pools.get(networkId);
      if (ip === undefined || pool === undefined) continue;
      if (reserve) pool.reserve(ip);
      held.push([networkId, ip]);
    }
    if (held.length > 0) this.held.set(ownerId, held);
  }

  private release(ownerId: string): void {
    for (const [networkId, ip] of this.held.get(ownerId) ?? []) this.pools.get(networkId)?.release(ip);
    this.held.delete(ownerId);
  }

  private freeAddress(networkId: string, addr: string): void {
    const ip = addressOf(addr);
    if (ip !== undefined) this.pools.get(networkId)?.release(ip);
  }
}

/** A task that will never run again holds no addresses (swarm's rule: desired and observed past RUNNING). */
export function isTaskDead(task: Task): boolean {
  return task.desiredState > TaskState.Running && task.status.state > TaskState.Running;
}
