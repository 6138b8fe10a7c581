/**
 * How a task's container joins its Shoal networks: the first network's Docker network goes into
 * the create call (HostConfig.NetworkMode, NetworkingConfig; Docker Engine 20.10 takes one network
 * there), each later one is connected after create and before start (`docker network connect
 * --ip`). Every address comes from the manager's IPAM. The node's DNS server (its own address on
 * the first network) is the container's `--dns`; it answers the names of all of them.
 */
export interface NetworkJoin {
  /** The Docker network (name or id) on the node's bridge. */
  dockerNetwork: string;
  /** The task's address on it (CIDR or bare). */
  taskAddress: string;
}

export function containerAttachment(joins: readonly NetworkJoin[], dnsAddress: string) {
  const [first, ...later] = joins;
  if (!first) throw new Error("a container attachment needs at least one network");
  const ipOf = (j: NetworkJoin) => j.taskAddress.split("/")[0]!;
  return {
    hostConfig: { NetworkMode: first.dockerNetwork, Dns: [dnsAddress] },
    networkingConfig: {
      EndpointsConfig: { [first.dockerNetwork]: { IPAMConfig: { IPv4Address: ipOf(first) } } },
    },
    connect: later.map((j) => ({ network: j.dockerNetwork, ipv4Address: ipOf(j) })),
  };
}
