/**
 * The cluster-wide endpoint table for the routing mesh: every service with ingress-published ports,
 * with the tasks that may take traffic (RUNNING and desired RUNNING) at `node address:host port`
 * (the agent binds each ingress target port of a task to a host port and reports it in
 * `status.portBindings`). A task leaves the table in the same store change that moves its desired
 * state past RUNNING, so every node drops it before its own agent stops the container.
 *
 * One store watch recomputes the table per change batch (services with ingress ports only) and
 * bumps a generation; each Endpoints stream sends what differs from what it sent before.
 */
import type { EndpointsMessage } from "@shoal/rpc";
import { type Network, type ReadView, type Store, StoreError, type Task, TaskState } from "@shoal/store";
import { systemClock } from "../loop/clock.ts";

export interface EndpointPort {
  protocol: "tcp" | "udp";
  publishedPort: number;
  targetPort: number;
}

export interface EndpointBackend {
  taskId: string;
  nodeId: string;
  /** The node's address (its session's remote host). */
  address: string;
  ports: { protocol: "tcp" | "udp"; targetPort: number; hostPort: number }[];
}

export interface EndpointService {
  serviceId: string;
  ports: EndpointPort[];
  backends: EndpointBackend[];
}

/** A node with tasks on a network: where VXLAN traffic goes, and its index for its own address there. */
export interface NetworkNode {
  nodeId: string;
  address: string;
  /** The node's stored `networkAddressIndex` (the allocator's): kept while the node exists. */
  index: number;
}

/** One service as a container on the network resolves it (the agent's DnsService). */
export interface NetworkDnsService {
  name: string;
  stackNamespace?: string;
  endpointMode: "vip" | "dnsrr";
  vip?: string;
  taskAddresses: string[];
}

/**
 * One overlay network for the agents (key `network:ID` in the table, `kind: "network"`): the
 * network object (subnet, VXLAN id), the nodes with live tasks on it (the VXLAN peers) and its
 * DNS names.
 */
export interface EndpointNetwork {
  kind: "network";
  network: Network;
  nodes: NetworkNode[];
  dns: NetworkDnsService[];
}

export const NETWORK_KEY_PREFIX = "network:";
const STACK_LABEL = "com.docker.stack.namespace";

/** A task whose container may still exist on its node (so its node keeps the network). */
function holdsNetwork(task: Task): boolean {
  return (
    task.nodeId !== "" && (task.desiredState <= TaskState.Running || task.status.state <= TaskState.Running)
  );
}

function addressOnly(cidr: string): string {
  return cidr.split("/")[0]!;
}

/**
 * The networks' entries. Ingress is listed too (so an agent knows a task's ingress attachment is
 * not an overlay still on its way); agents do not bring it up: the mesh reaches tasks through host ports.
 */
export function networkEntries(view: ReadView): Map<string, EndpointNetwork> {
  const out = new Map<string, EndpointNetwork>();
  const networks = view.networks.all().filter((n) => n.ipam.length > 0);
  for (const network of networks) out.set(network.id, { kind: "network", network, nodes: [], dns: [] });
  if (out.size === 0) return out;
  const peers = new Map<string, Set<string>>();
  const taskAddresses = new Map<string, Map<string, string[]>>();
  for (const task of view.tasks.all()) {
    for (const a of task.networksAttachments) {
      if (!out.has(a.networkId)) continue;
      if (holdsNetwork(task)) {
        const set = peers.get(a.networkId) ?? new Set();
        set.add(task.nodeId);
        peers.set(a.networkId, set);
      }
      if (task.status.state !== TaskState.Running || task.desiredState !== TaskState.Running) continue;
      if (!a.addresses[0]) continue;
      const byService = taskAddresses.get(a.networkId) ?? new Map<string, string[]>();
      byService.set(task.serviceId, [...(byService.get(task.serviceId) ?? []), addressOnly(a.addresses[0])]);
      taskAddresses.set(a.networkId, byService);
    }
  }
  for (const [networkId, entry] of out) {
    for (const nodeId of [...(peers.get(networkId) ?? [])].sort()) {
      // A node without its index yet is left out until the allocator has given it one.
      const node = view.nodes.get(nodeId);
      const index = node?.networkAddressIndex;
      if (node?.status.addr && index !== undefined)
        entry.nodes.push({ nodeId, address: node.status.addr, index });
    }
  }
  for (const service of [...view.services.all()].sort((a, b) => a.spec.name.localeCompare(b.spec.name))) {
    for (const [networkId, entry] of out) {
      const addresses = (taskAddresses.get(networkId)?.get(service.id) ?? []).sort();
      const vip = service.endpoint?.virtualIps.find((v) => v.networkId === networkId)?.addr;
      if (!vip && addresses.length === 0) continue;
      const dns: NetworkDnsService = {
        name: service.spec.name,
        endpointMode: service.spec.endpointSpec.mode,
        taskAddresses: addresses,
      };
      if (vip) dns.vip = addressOnly(vip);
      const stack = service.spec.labels[STACK_LABEL];
      if (stack) dns.stackNamespace = stack;
      entry.dns.push(dns);
    }
  }
  return out;
}

/**
 * The table from one view: service id → its JSON text (sorted for stable comparison), and
 * `network:ID` → each overlay network's entry.
 */
export function endpointTable(view: ReadView): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, entry] of networkEntries(view))
    out.set(`${NETWORK_KEY_PREFIX}${id}`, JSON.stringify(entry));
  for (const service of view.services.all()) {
    const ports: EndpointPort[] = [];
    for (const p of service.endpoint?.ports ?? []) {
      if (p.publishMode !== "ingress" || p.publishedPort === 0) continue;
      if (p.protocol !== "tcp" && p.protocol !== "udp") continue;
      ports.push({ protocol: p.protocol, publishedPort: p.publishedPort, targetPort: p.targetPort });
    }
    if (ports.length === 0) continue;
    const backends: EndpointBackend[] = [];
    for (const task of view.tasks.byService(service.id)) {
      if (task.status.state !== TaskState.Running || task.desiredState !== TaskState.Running) continue;
      const address = task.nodeId ? view.nodes.get(task.nodeId)?.status.addr : undefined;
      const bound = task.status.portBindings ?? [];
      if (!address || bound.length === 0) continue;
      backends.push({ taskId: task.id, nodeId: task.nodeId, address, ports: bound });
    }
    backends.sort((a, b) => a.taskId.localeCompare(b.taskId));
    const entry: EndpointService = { serviceId: service.id, ports, backends };
    out.set(service.id, JSON.stringify(entry));
  }
  return out;
}

/** What turns `sent` into `current`; undefined when nothing differs (never for the first). */
export function endpointsDiff(
  current: ReadonlyMap<string, string>,
  sent: Map<string, string> | undefined,
): EndpointsMessage | undefined {
  if (!sent) return { type: "COMPLETE", services_json: [...current.values()], removed_service_ids: [] };
  const services_json: string[] = [];
  const removed_service_ids: string[] = [];
  for (const [id, json] of current) if (sent.get(id) !== json) services_json.push(json);
  for (const id of sent.keys()) if (!current.has(id)) removed_service_ids.push(id);
  if (services_json.length === 0 && removed_service_ids.length === 0) return undefined;
  return { type: "INCREMENTAL", services_json, removed_service_ids };
}

/** Pause before following the store again after a failure. */
const RESYNC_RETRY_MS = 50;

export class EndpointTable {
  private table = new Map<string, string>();
  private generation = 0;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly store: Store,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Follows the store until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const { snapshot, changes } = this.store.viewAndWatch(signal, ["task", "service", "node", "network"]);
        try {
          this.publish(endpointTable(snapshot));
        } finally {
          snapshot.close();
        }
        for await (const _batch of changes) this.publish(this.store.view((v) => endpointTable(v)));
      } catch (err) {
        if (signal.aborted) return;
        if (!(err instanceof StoreError && err.code === "resync-required")) this.onError(err);
        await systemClock.sleep(RESYNC_RETRY_MS, signal);
      }
    }
    this.wake();
  }

  /** Sends the table, then every change, until `signal` aborts. */
  async serve(signal: AbortSignal, send: (m: EndpointsMessage) => Promise<void>): Promise<void> {
    let sent: Map<string, string> | undefined;
    while (!signal.aborted) {
      const seen = this.generation;
      const current = this.table;
      const message = endpointsDiff(current, sent);
      if (message) await send(message);
      sent = current;
      if (this.generation === seen) await this.waitChange(signal);
    }
  }

  private publish(next: Map<string, string>): void {
    const same = next.size === this.table.size && [...next].every(([id, j]) => this.table.get(id) === j);
    if (same) return;
    this.table = next;
    this.generation++;
    this.wake();
  }

  private waitChange(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        this.waiters.delete(done);
        signal.removeEventListener("abort", done);
        resolve();
      };
      this.waiters.add(done);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
