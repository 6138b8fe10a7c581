/**
 * Who is on a network, for `network inspect`: the task containers attached (docker's `Containers`
 * section), the services with their VIP there, and per node (docker's `Peers`) its own address on
 * the network and how many of the network's tasks it runs.
 */
import { Network, nodeName, type ReadView, TASK_STATE_NAMES, type Task, TaskState } from "@shoal/store";
import { z } from "zod";
import { nodeAddressOn } from "../allocator/address-pool.ts";

export const NetworkContainer = z.object({
  taskId: z.string(),
  /** The container's name on its node: `<service>.<slot>.<task id>` (`<service>.<node id>.<task id>` for global tasks). */
  name: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  nodeId: z.string(),
  /** The node's name (spec name, else hostname); empty while the task is not placed. */
  nodeName: z.string(),
  containerId: z.string().optional(),
  /** The task's address on the network, `a.b.c.d/bits`. */
  ipv4Address: z.string(),
  state: z.string(),
});
export type NetworkContainer = z.infer<typeof NetworkContainer>;

export const NetworkServiceMember = z.object({
  serviceId: z.string(),
  name: z.string(),
  endpointMode: z.enum(["vip", "dnsrr"]),
  /** The service's virtual IP on the network (`a.b.c.d/bits`); absent in dnsrr mode. */
  vip: z.string().optional(),
  tasks: z.number().int(),
});
export type NetworkServiceMember = z.infer<typeof NetworkServiceMember>;

export const NetworkPeer = z.object({
  nodeId: z.string(),
  name: z.string(),
  /** The node's address in the cluster. */
  address: z.string(),
  /** The node's own address on this network (its containers' gateway and DNS server), once allocated. */
  networkAddress: z.string().optional(),
  tasks: z.number().int(),
});
export type NetworkPeer = z.infer<typeof NetworkPeer>;

export interface NetworkMembers {
  containers: NetworkContainer[];
  services: NetworkServiceMember[];
  peers: NetworkPeer[];
}

/** A network as `network inspect` shows it: the object and who is on it. */
export const NetworkDetail = Network.extend({
  containers: z.array(NetworkContainer),
  services: z.array(NetworkServiceMember),
  peers: z.array(NetworkPeer),
});
export type NetworkDetail = z.infer<typeof NetworkDetail>;

/** A task whose container is (or is about to be) on its node: placed, not yet past RUNNING. */
function isAttached(task: Task): boolean {
  return (
    task.nodeId !== "" && task.status.state <= TaskState.Running && task.desiredState <= TaskState.Running
  );
}

export function networkMembers(
  view: Pick<ReadView, "tasks" | "services" | "nodes">,
  network: Network,
): NetworkMembers {
  const containers: NetworkContainer[] = [];
  const tasksPerService = new Map<string, number>();
  const tasksPerNode = new Map<string, number>();
  for (const task of view.tasks.all()) {
    if (!isAttached(task)) continue;
    const attachment = task.networksAttachments.find((a) => a.networkId === network.id);
    if (attachment === undefined) continue;
    const serviceName = view.services.get(task.serviceId)?.spec.name ?? task.serviceId;
    const node = view.nodes.get(task.nodeId);
    containers.push({
      taskId: task.id,
      name: `${serviceName}.${task.slot > 0 ? task.slot : task.nodeId}.${task.id}`,
      serviceId: task.serviceId,
      serviceName,
      nodeId: task.nodeId,
      nodeName: (node && nodeName(node)) ?? "",
      ...(task.status.containerId ? { containerId: task.status.containerId } : {}),
      ipv4Address: attachment.addresses[0] ?? "",
      state: TASK_STATE_NAMES[task.status.state],
    });
    tasksPerService.set(task.serviceId, (tasksPerService.get(task.serviceId) ?? 0) + 1);
    tasksPerNode.set(task.nodeId, (tasksPerNode.get(task.nodeId) ?? 0) + 1);
  }
  containers.sort((a, b) => a.name.localeCompare(b.name));

  const services: NetworkServiceMember[] = [];
  for (const service of view.services.all()) {
    const vip = service.endpoint?.virtualIps.find((v) => v.networkId === network.id)?.addr;
    const onNetwork = service.spec.taskTemplate.networks.some((n) => n.target === network.id);
    if (!onNetwork && vip === undefined && !tasksPerService.has(service.id)) continue;
    services.push({
      serviceId: service.id,
      name: service.spec.name,
      endpointMode: service.spec.endpointSpec.mode,
      ...(vip ? { vip } : {}),
      tasks: tasksPerService.get(service.id) ?? 0,
    });
  }
  services.sort((a, b) => a.name.localeCompare(b.name));

  const subnet = network.ipam[0]?.subnet;
  const peers: NetworkPeer[] = [];
  for (const [nodeId, tasks] of tasksPerNode) {
    const node = view.nodes.get(nodeId);
    if (node === undefined) continue;
    const index = node.networkAddressIndex;
    const networkAddress = subnet && index !== undefined ? nodeAddressOn(subnet, index) : undefined;
    peers.push({
      nodeId,
      name: nodeName(node) ?? nodeId,
      address: node.status.addr,
      ...(networkAddress ? { networkAddress } : {}),
      tasks,
    });
  }
  peers.sort((a, b) => a.name.localeCompare(b.name) || a.nodeId.localeCompare(b.nodeId));
  return { containers, services, peers };
}
