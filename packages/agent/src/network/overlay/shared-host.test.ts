/**
 * Two nodes on one host (a laptop cluster, the test suites): they share the overlay's bridge and
 * Docker network; each has its own address on it (its DNS server's), and one node giving the
 * network up leaves it working for the other.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { multiHostSkipReason, type TestHost, TestHosts } from "../test-support/netns-hosts.ts";
import { containerAttachment } from "./container-attachment.ts";
import { NETWORK_ID_LABEL, OverlayNetworks } from "./overlay-networks.ts";
import { deviceNames, hostAddressOf, type OverlaySpec } from "./overlay-plan.ts";

const skipReason = await multiHostSkipReason();
if (skipReason) it.skip(`shared-host overlay skipped: ${skipReason}`, () => {});

const IMAGE = "shoal-test/busybox:1";

function dockerCli(host: TestHost, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      "docker",
      ["-H", `unix://${host.dockerSocket}`, ...args],
      { timeout: 15_000 },
      (err, out, errOut) =>
        err ? reject(new Error(`${args.join(" ")}: ${errOut || err.message}`)) : resolve(out),
    ),
  );
}

async function bridgeAddresses(host: TestHost, bridge: string): Promise<string[]> {
  const [link] = JSON.parse(await host.run(["ip", "-j", "-4", "addr", "show", "dev", bridge])) as Array<{
    addr_info?: Array<{ local?: string }>;
  }>;
  return (link?.addr_info ?? []).flatMap((a) => (a.local ? [a.local] : [])).sort();
}

describe.skipIf(skipReason !== undefined)("two nodes on one host share an overlay", () => {
  const lab = new TestHosts();
  let host: TestHost;
  let nodes: OverlayNetworks[] = [];
  const third = 20 + (randomBytes(1)[0]! % 200);
  const subnet = `10.202.${third}.0/24`;
  const networkId = `shared${lab.tag}`;
  const specs: OverlaySpec[] = [0, 1].map((index) => ({
    networkId,
    dockerName: `shoal-sh${lab.tag}`,
    vxlanId: 4096 + (randomBytes(2).readUInt16BE(0) % 60_000),
    subnet,
    hostAddress: hostAddressOf(subnet, index),
  }));
  specs[1]!.vxlanId = specs[0]!.vxlanId;

  beforeAll(async () => {
    try {
      [host] = (await lab.create(1)) as [TestHost];
      nodes = [0, 1].map(
        () =>
          new OverlayNetworks({
            run: host.run,
            docker: host.docker,
            underlayDevice: "eth0",
            localAddress: host.address,
          }),
      );
    } catch (err) {
      await lab.cleanup();
      throw err;
    }
  }, 60_000);

  afterAll(async () => {
    await lab.cleanup();
  }, 30_000);

  it("both bring the network up at once: one Docker network, both nodes' addresses on its bridge", async () => {
    const ids = await Promise.all(nodes.map((n, i) => n.ensure(specs[i]!, [host.address])));
    expect(ids[0]).toBe(ids[1]);
    const listed = await host.docker.listNetworks({
      filters: JSON.stringify({ label: [`${NETWORK_ID_LABEL}=${networkId}`] }),
    });
    expect(listed).toHaveLength(1);
    const { bridge } = deviceNames(networkId);
    expect(await bridgeAddresses(host, bridge)).toEqual(
      [specs[0]!.hostAddress, specs[1]!.hostAddress].sort(),
    );
  }, 30_000);

  it("a container of the second node reaches that node's own address; releasing it keeps the first's network", async () => {
    const attach = containerAttachment(
      [{ dockerNetwork: specs[1]!.dockerName, taskAddress: `10.202.${third}.2` }],
      specs[1]!.hostAddress,
    );
    const name = `sh-${lab.tag}`;
    const c = await host.docker.createContainer({
      Image: IMAGE,
      name,
      Cmd: ["sleep", "300"],
      HostConfig: attach.hostConfig,
      NetworkingConfig: attach.networkingConfig,
    });
    await c.start();
    await dockerCli(host, ["exec", name, "busybox", "ping", "-c", "1", "-W", "2", specs[1]!.hostAddress]);

    const { bridge } = deviceNames(networkId);
    // The node that is not the Docker network's gateway gives up its own address only.
    const gateway = (await host.docker.getNetwork(specs[0]!.dockerName).inspect()) as {
      IPAM: { Config: Array<{ Gateway: string }> };
    };
    const releasing = specs.findIndex((s) => s.hostAddress !== gateway.IPAM.Config[0]!.Gateway);
    expect(releasing).toBeGreaterThanOrEqual(0);
    await nodes[releasing]!.releaseHostAddress(networkId, specs[releasing]!.hostAddress, subnet);
    expect(await bridgeAddresses(host, bridge)).toEqual([gateway.IPAM.Config[0]!.Gateway]);
    await dockerCli(host, [
      "exec",
      name,
      "busybox",
      "ping",
      "-c",
      "1",
      "-W",
      "2",
      gateway.IPAM.Config[0]!.Gateway,
    ]);
    await c.remove({ force: true });
  }, 60_000);
});
