import type Dockerode from "dockerode";
import type { CommandRunner } from "./command-runner.ts";
import {
  bridgeMacOf,
  deviceNames,
  type OverlaySpec,
  prefixLengthOf,
  VXLAN_OVERHEAD_BYTES,
  VXLAN_PORT,
} from "./overlay-plan.ts";

export interface OverlayNetworksOptions {
  /** Runs ip/bridge on this node (or in its namespace). */
  run: CommandRunner;
  /** This node's engine. */
  docker: Dockerode;
  /** The device VXLAN packets leave by, and this node's address on it (what peers send to). */
  underlayDevice: string;
  localAddress: string;
}

/** Label on the Docker networks Shoal makes: the store network's id. */
export const NETWORK_ID_LABEL = "com.shoal.network.id";
const ALL_ZEROS_MAC = "00:00:00:00:00:00";
/** Tries at making the Docker network (see ensureDockerNetwork). */
const CREATE_ATTEMPTS = 5;

/**
 * Overlay networks on one node: per network a Linux bridge (its MAC fixed, `bridgeMacOf`) with a VXLAN device on it (UDP 4789,
 * no learning, one all-zeros forwarding entry per peer node, so broadcasts and unknown unicasts go
 * to every peer), and a Docker bridge network on that bridge with the network's subnet and this
 * node's own address as gateway. Containers get their task address from the manager's IPAM. Every
 * call is idempotent; `prune` removes what no task on this node needs any more.
 */
export class OverlayNetworks {
  constructor(private readonly options: OverlayNetworksOptions) {}

  /** This node's address on the underlay. */
  get localAddress(): string {
    return this.options.localAddress;
  }

  /** Brings the network up (or checks it is) with exactly these peers. Returns the Docker network id. */
  async ensure(spec: OverlaySpec, peers: readonly string[]): Promise<string> {
    const { bridge, vxlan } = deviceNames(spec.networkId);
    const mtu = (await this.mtuOf(this.options.underlayDevice)) - VXLAN_OVERHEAD_BYTES;
    const mac = bridgeMacOf(spec.networkId, this.options.localAddress);
    await this.addLink(bridge, ["address", mac, "mtu", String(mtu), "type", "bridge"]);
    await this.addLink(vxlan, [
      ...["mtu", String(mtu), "type", "vxlan", "id", String(spec.vxlanId)],
      ...["dstport", String(VXLAN_PORT), "dev", this.options.underlayDevice],
      ...["local", this.options.localAddress, "nolearning"],
    ]);
    await this.ip(["link", "set", vxlan, "master", bridge]);
    await this.ip(["link", "set", vxlan, "up"]);
    await this.ip(["link", "set", bridge, "up"]);
    await this.syncPeers(
      vxlan,
      peers.filter((p) => p !== this.options.localAddress),
    );
    const dockerId = await this.ensureDockerNetwork(spec, bridge, mtu);
    await this.ensureHostAddress(bridge, spec);
    return dockerId;
  }

  /**
   * Gives up this node's own address on a bridge another node on the same host still uses (the
   * Docker network and devices stay theirs). The Docker network's gateway address stays: it is
   * Docker's to remove with the network.
   */
  async releaseHostAddress(networkId: string, hostAddress: string, subnet: string): Promise<void> {
    const { bridge } = deviceNames(networkId);
    if (!(await this.linkExists(bridge)) || !(await this.addressesOf(bridge)).includes(hostAddress)) return;
    const network = await this.dockerNetworkOf(networkId);
    if (network?.IPAM?.Config?.some((c) => c.Gateway === hostAddress)) return;
    await this.ip(["addr", "del", `${hostAddress}/${prefixLengthOf(subnet)}`, "dev", bridge]);
  }

  /** Removes the Docker network (its containers must be gone) and both devices. Absent is fine. */
  async remove(networkId: string): Promise<void> {
    const network = await this.dockerNetworkOf(networkId);
    if (network) await this.options.docker.getNetwork(network.Id).remove();
    const { bridge, vxlan } = deviceNames(networkId);
    for (const dev of [vxlan, bridge]) if (await this.linkExists(dev)) await this.ip(["link", "del", dev]);
  }

  /** Removes every Shoal overlay on this node whose network is not in `keep`. Returns the ids removed. */
  async prune(keep: ReadonlySet<string>): Promise<string[]> {
    const removed: string[] = [];
    for (const n of await this.dockerNetworks()) {
      const id = n.Labels?.[NETWORK_ID_LABEL];
      if (id && !keep.has(id)) {
        await this.remove(id);
        removed.push(id);
      }
    }
    return removed;
  }

  /** The peers a VXLAN device floods to now. */
  async peers(networkId: string): Promise<string[]> {
    const { vxlan } = deviceNames(networkId);
    const entries = JSON.parse(
      (await this.options.run(["bridge", "-j", "fdb", "show", "dev", vxlan])) || "[]",
    ) as Array<{ mac: string; dst?: string }>;
    return entries.filter((e) => e.mac === ALL_ZEROS_MAC && e.dst).map((e) => e.dst!);
  }

  private async syncPeers(vxlan: string, peers: readonly string[]): Promise<void> {
    const listing = await this.options.run(["bridge", "-j", "fdb", "show", "dev", vxlan]);
    const entries = JSON.parse(listing || "[]") as Array<{ mac: string; dst?: string }>;
    const have = new Set(entries.filter((e) => e.mac === ALL_ZEROS_MAC && e.dst).map((e) => e.dst!));
    for (const peer of peers) {
      if (!have.has(peer))
        await this.options.run(["bridge", "fdb", "append", ALL_ZEROS_MAC, "dev", vxlan, "dst", peer]);
    }
    for (const old of have) {
      if (!peers.includes(old))
        await this.options.run(["bridge", "fdb", "del", ALL_ZEROS_MAC, "dev", vxlan, "dst", old]);
    }
  }

  /**
   * Several nodes on one host (a laptop cluster, the test suites) share one bridge and one Docker
   * network, whose gateway is the first node's address: each other node adds its own address to
   * the bridge, where its DNS server listens for its containers. On a host of its own the
   * gateway already is this node's address.
   */
  private async ensureHostAddress(bridge: string, spec: OverlaySpec): Promise<void> {
    if ((await this.addressesOf(bridge)).includes(spec.hostAddress)) return;
    try {
      await this.ip(["addr", "add", `${spec.hostAddress}/${prefixLengthOf(spec.subnet)}`, "dev", bridge]);
    } catch (err) {
      // Another node's agent on this host added it in the meantime.
      if (!(await this.addressesOf(bridge)).includes(spec.hostAddress)) throw err;
    }
  }

  private async addressesOf(dev: string): Promise<string[]> {
    const [link] = JSON.parse(
      await this.options.run(["ip", "-j", "-4", "addr", "show", "dev", dev]),
    ) as Array<{
      addr_info?: Array<{ local?: string }>;
    }>;
    return (link?.addr_info ?? []).flatMap((a) => (a.local ? [a.local] : []));
  }

  /**
   * The Docker network on the bridge, made unless it exists. Two nodes on one host creating it at
   * the same moment can both be refused ("Pool overlaps"): each tries again after a short random
   * pause and the later one finds the other's.
   */
  private async ensureDockerNetwork(spec: OverlaySpec, bridge: string, mtu: number): Promise<string> {
    let lastError: unknown;
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      const existing = await this.dockerNetworkOf(spec.networkId);
      if (existing) return existing.Id;
      try {
        return await this.createDockerNetwork(spec, bridge, mtu);
      } catch (err) {
        lastError = err;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 200 * (attempt + 1)));
      }
    }
    throw lastError;
  }

  private async dockerNetworkOf(networkId: string): Promise<Dockerode.NetworkInspectInfo | undefined> {
    return (await this.dockerNetworks()).find((n) => n.Labels?.[NETWORK_ID_LABEL] === networkId);
  }

  private async createDockerNetwork(spec: OverlaySpec, bridge: string, mtu: number): Promise<string> {
    const created = await this.options.docker.createNetwork({
      Name: spec.dockerName,
      Driver: "bridge",
      CheckDuplicate: true,
      IPAM: { Driver: "default", Config: [{ Subnet: spec.subnet, Gateway: spec.hostAddress }] },
      Options: {
        "com.docker.network.bridge.name": bridge,
        "com.docker.network.bridge.enable_ip_masquerade": "false",
        "com.docker.network.driver.mtu": String(mtu),
      },
      Labels: { [NETWORK_ID_LABEL]: spec.networkId },
    });
    return created.id;
  }

  private async dockerNetworks(): Promise<Dockerode.NetworkInspectInfo[]> {
    return this.options.docker.listNetworks({ filters: JSON.stringify({ label: [NETWORK_ID_LABEL] }) });
  }

  /** Adds a device unless it exists (made earlier, or just now by another node on this host). */
  private async addLink(dev: string, args: readonly string[]): Promise<void> {
    if (await this.linkExists(dev)) return;
    try {
      await this.ip(["link", "add", dev, ...args]);
    } catch (err) {
      if (!(await this.linkExists(dev))) throw err;
    }
  }

  private async linkExists(dev: string): Promise<boolean> {
    try {
      await this.options.run(["ip", "link", "show", "dev", dev]);
      return true;
    } catch {
      return false;
    }
  }

  private async mtuOf(dev: string): Promise<number> {
    const [link] = JSON.parse(await this.options.run(["ip", "-j", "link", "show", "dev", dev])) as Array<{
      mtu: number;
    }>;
    return link?.mtu ?? 1500;
  }

  private ip(args: readonly string[]): Promise<string> {
    return this.options.run(["ip", ...args]);
  }
}
