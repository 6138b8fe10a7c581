import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { multiHostSkipReason, type TestHost, TestHosts } from "../test-support/netns-hosts.ts";
import { httpGet } from "../test-support/socket-helpers.ts";
import { containerAttachment } from "./container-attachment.ts";
import { OverlayNetworks } from "./overlay-networks.ts";
import { bridgeMacOf, deviceNames, hostAddressOf, type OverlaySpec } from "./overlay-plan.ts";

const skipReason = await multiHostSkipReason();
if (skipReason) it.skip(`multi-host overlay and mesh skipped: ${skipReason}`, () => {});

const IMAGE = "shoal-test/busybox:1";
const REPO_ROOT = fileURLToPath(new URL("../../../../../", import.meta.url));

function dockerCli(host: TestHost, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      "docker",
      ["-H", `unix://${host.dockerSocket}`, ...args],
      { timeout: 8_000 },
      (err, out, errOut) =>
        err ? reject(new Error(`${args.join(" ")}: ${errOut || err.message}`)) : resolve(out),
    ),
  );
}

/** wget from inside a container, retried while the server starts (up to ~5 s). */
async function fetchFrom(host: TestHost, container: string, url: string): Promise<string> {
  let last: unknown;
  for (let i = 0; i < 25; i++) {
    try {
      return (await dockerCli(host, ["exec", container, "wget", "-O-", url])).trim();
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw last;
}

async function runWeb(host: TestHost, spec: OverlaySpec, name: string, ip: string, body: string) {
  const attach = containerAttachment([{ dockerNetwork: spec.dockerName, taskAddress: ip }], spec.hostAddress);
  const c = await host.docker.createContainer({
    Image: IMAGE,
    name,
    Cmd: ["sh", "-c", `mkdir -p /www && echo ${body} > /www/index.html && exec httpd -f -p 80 -h /www`],
    HostConfig: attach.hostConfig,
    NetworkingConfig: attach.networkingConfig,
  });
  await c.start();
}

describe.skipIf(skipReason !== undefined)("two hosts: overlay network, cross-host HTTP, mesh and DNS", () => {
  const lab = new TestHosts();
  let hosts: TestHost[] = [];
  let overlays: OverlayNetworks[] = [];
  let meshChild: ChildProcess | undefined;
  const third = 20 + (randomBytes(1)[0]! % 200);
  const subnet = `10.201.${third}.0/24`;
  const networkId = `net${lab.tag}`;
  const specs: OverlaySpec[] = [0, 1].map((i) => ({
    networkId,
    dockerName: `shoal-ov${lab.tag}`,
    vxlanId: 4096 + (randomBytes(2).readUInt16BE(0) % 60_000),
    subnet,
    hostAddress: hostAddressOf(subnet, i),
  }));
  specs[1]!.vxlanId = specs[0]!.vxlanId;
  const ip1 = `10.201.${third}.2`;
  const ip2 = `10.201.${third}.3`;

  beforeAll(async () => {
    try {
      hosts = await lab.create(2);
      overlays = hosts.map(
        (h) =>
          new OverlayNetworks({
            run: h.run,
            docker: h.docker,
            underlayDevice: "eth0",
            localAddress: h.address,
          }),
      );
      await Promise.all(
        overlays.map((o, i) =>
          o.ensure(
            specs[i]!,
            hosts.map((h) => h.address),
          ),
        ),
      );
    } catch (err) {
      await lab.cleanup();
      throw err;
    }
  }, 60_000);

  afterAll(async () => {
    meshChild?.stdin?.end();
    meshChild?.kill("SIGKILL");
    await lab.cleanup();
  }, 30_000);

  it("ensure is idempotent: same devices, one forwarding entry per peer", async () => {
    await overlays[0]!.ensure(
      specs[0]!,
      hosts.map((h) => h.address),
    );
    expect(await overlays[0]!.peers(networkId)).toEqual([hosts[1]!.address]);
    expect(await overlays[1]!.peers(networkId)).toEqual([hosts[0]!.address]);
  });

  it("a container on host 1 fetches over HTTP from a container on host 2", async () => {
    await runWeb(hosts[0]!, specs[0]!, `c1-${lab.tag}`, ip1, "from-h1");
    await runWeb(hosts[1]!, specs[1]!, `c2-${lab.tag}`, ip2, "from-h2");
    expect(await fetchFrom(hosts[0]!, `c1-${lab.tag}`, `http://${ip2}/`)).toBe("from-h2");
    expect(await fetchFrom(hosts[1]!, `c2-${lab.tag}`, `http://${ip1}/`)).toBe("from-h1");
    // The bridge keeps the MAC it was made with while containers join (their gateway's ARP stays true).
    const { bridge } = deviceNames(networkId);
    const [link] = JSON.parse(await hosts[0]!.run(["ip", "-j", "link", "show", "dev", bridge])) as Array<{
      address: string;
    }>;
    expect(link?.address).toBe(bridgeMacOf(networkId, hosts[0]!.address));
  }, 30_000);

  it("the mesh on host 1 forwards to the task on host 2; the node DNS answers the service", async () => {
    const config = {
      mesh: {
        services: [
          {
            serviceId: "web",
            ports: [{ protocol: "tcp", publishedPort: 8080, targetPort: 80 }],
            backends: [{ taskId: "t2", address: ip2 }],
          },
        ],
      },
      dns: {
        address: specs[0]!.hostAddress,
        networkId,
        table: {
          networks: [{ networkId, services: [{ name: "web", endpointMode: "dnsrr", taskAddresses: [ip2] }] }],
        },
      },
    };
    meshChild = spawn(
      "nsenter",
      [
        `--net=${hosts[0]!.netnsPath}`,
        process.execPath,
        "--import",
        "tsx",
        "packages/agent/src/network/test-support/mesh-child.ts",
        JSON.stringify(config),
      ],
      { cwd: REPO_ROOT, stdio: ["pipe", "pipe", "inherit"] },
    );
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("mesh child did not start")), 20_000);
      meshChild!.stdout!.on("data", (d: Buffer) => {
        if (d.toString().includes("ready")) {
          clearTimeout(t);
          resolve();
        }
      });
      meshChild!.once("exit", (code) => reject(new Error(`mesh child exited ${code}`)));
    });
    expect((await httpGet(8080, "/", hosts[0]!.address)).trim()).toBe("from-h2");
    // Docker's embedded resolver passes names it does not know to the container's --dns: ours.
    expect(await fetchFrom(hosts[0]!, `c1-${lab.tag}`, "http://web/")).toBe("from-h2");
  }, 40_000);

  it("removing the network takes the Docker network and both devices away; prune removes unused ones", async () => {
    await dockerCli(hosts[0]!, ["rm", "-f", `c1-${lab.tag}`]);
    await overlays[0]!.remove(networkId);
    const { bridge, vxlan } = deviceNames(networkId);
    await expect(hosts[0]!.run(["ip", "link", "show", "dev", bridge])).rejects.toThrow();
    await expect(hosts[0]!.run(["ip", "link", "show", "dev", vxlan])).rejects.toThrow();
    await dockerCli(hosts[1]!, ["rm", "-f", `c2-${lab.tag}`]);
    expect(await overlays[1]!.prune(new Set())).toEqual([networkId]);
    expect(
      await hosts[1]!.docker.listNetworks({ filters: JSON.stringify({ name: [specs[1]!.dockerName] }) }),
    ).toEqual([]);
  }, 30_000);
});
