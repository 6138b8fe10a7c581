/**
 * How a task's container joins its first Shoal network: the Docker network on the node's bridge,
 * its task address from the manager's IPAM, and the node's DNS server (the node's own address on
 * that network) as `--dns`. Goes into the create call's HostConfig and NetworkingConfig.
 */
export function containerAttachment(dockerNetwork: string, taskAddress: string, dnsAddress: string) {
  const ip = taskAddress.split("/")[0]!;
  return {
    hostConfig: { NetworkMode: dockerNetwork, Dns: [dnsAddress] },
    networkingConfig: { EndpointsConfig: { [dockerNetwork]: { IPAMConfig: { IPv4Address: ip } } } },
  };
}
