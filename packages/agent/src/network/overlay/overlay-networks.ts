import type Dockerode from "dockerode";
import type { CommandRunner } from "./command-runner.ts";
import {
  bridgeMacOf,
  deviceNames,
  type OverlaySpec,
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

/**
 * Overlay networks on one node: per network a Linux bridge (its MAC fixed, `bridgeMacOf`) with a VXLAN device on it (UDP 4789,
 * no learning, one all-zeros forwarding entry per peer node, so broadcasts and unknown unicasts go
 * to every peer), and a Docker bridge network on that bridge with the network's subnet and this
 * node's own address as gateway. Containers get their task address from the manager's IPAM. Every
 * call is idempotent; `prune` removes what no task on this node needs any more.
 */
export class OverlayNetworks {
  constructor(private readonly options: OverlayNetworksOptions) {}

  /** Brings the network up (or checks it is) with exactly these peers. Returns the Docker network id. */
  async ensure(spec: OverlaySpec, peers: readonly string[]): Promise<string> {
    const { bridge, vxlan } = deviceNames(spec.networkId);
    const mtu = (await this.mtuOf(this.options.underlayDevice)) - VXLAN_OVERHEAD_BYTES;
    if (!(await this.linkExists(bridge))) {
      const mac = bridgeMacOf(spec.networkId, this.options.localAddress);
      await this.ip(["link", "add", bridge, "address", mac, "mtu", String(mtu), "type", "bridge"]);
    }
    if (!(await this.linkExists(vxlan))) {
      await this.ip([
        ...["link", "add", vxlan, "mtu", String(mtu), "type", "vxlan", "id", String(spec.vxlanId)],
        ...["dstport", String(VXLAN_PORT), "dev", this.options.underlayDevice],
        ...["local", this.options.localAddress, "nolearning"],
      ]);
    }
    await this.ip(["link", "set", vxlan, "master", bridge]);
    await this.ip(["link", "set", vxlan, "up"]);
    await this.ip(["link", "set", bridge, "up"]);
    await this.syncPeers(
      vxlan,
      peers.filter((p) => p !== this.options.localAddress),
    );
    return this.ensureDockerNetwork(spec, bridge, mtu);
  }

  /** Removes the Docker network (its containers must be gone) and both devices. Absent is fine. */
  async remove(networkId: string): Promise<void> {
    for (const n of await this.dockerNetworks()) {
      if (n.Labels?.[NETWORK_ID_LABEL] === networkId) await this.options.docker.getNetwork(n.Id).remove();
    }
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

  private async ensureDockerNetwork(spec: OverlaySpec, bridge: string, mtu: number): Promise<string> {
    const existing = (await this.dockerNetworks()).find(
      (n) => n.Labels?.[NETWORK_ID_LABEL] === spec.networkId,
    );
    if (existing) return existing.Id;
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
