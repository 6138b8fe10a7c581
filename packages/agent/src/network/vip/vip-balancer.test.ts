/**
 * VipBalancer on a real engine: two server containers and a client on a Docker network of this
 * run; a table naming a VIP for the two servers. The client reaches both through the VIP; a
 * server taken out (`removeTask`) gets no new connection while the one it already holds finishes;
 * with no server left the VIP refuses at once. Needs root (nsenter) and iptables; skipped otherwise.
 */
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docker, probeEngine, RUN_ID, RUN_LABEL, TEST_IMAGE } from "../../test-support/docker-fixture.ts";
import type { EndpointNetwork } from "../mesh/endpoint-follower.ts";
import { NetnsIptables } from "./netns-iptables.ts";
import { VipBalancer } from "./vip-balancer.ts";

const exec = promisify(execFile);
const engine = await probeEngine();
const tools = await new NetnsIptables().check().then(
  () => undefined,
  (err: Error) => err.message,
);
const root = process.getuid?.() === 0 ? undefined : "needs root (nsenter into containers)";
const skipReason = !engine.ok ? engine.reason : (root ?? tools);

const third = 20 + (randomBytes(1)[0]! % 200);
const SUBNET = `10.214.${third}.0/24`;
const VIP = `10.214.${third}.2`;
const A = `10.214.${third}.10`;
const B = `10.214.${third}.11`;
const CLIENT = `10.214.${third}.20`;
const NETWORK = `shoal-vip-test-${RUN_ID}`;

/** HTTP on 80 answering its name; on 7000 one connection at a time: "start NAME", 2 s, "end NAME". */
function serverCommand(name: string): string[] {
  return [
    "sh",
    "-c",
    `mkdir -p /www && echo ${name} > /www/index.html && httpd -p 80 -h /www && ` +
      `while true; do (echo start ${name}; sleep 2; echo end ${name}) | nc -l -p 7000; done`,
  ];
}

async function run(name: string, ip: string, cmd: string[]): Promise<string> {
  const c = await docker.createContainer({
    Image: TEST_IMAGE,
    name: `${NETWORK}-${name}`,
    Cmd: cmd,
    Labels: { [RUN_LABEL]: RUN_ID },
    HostConfig: { NetworkMode: NETWORK },
    NetworkingConfig: { EndpointsConfig: { [NETWORK]: { IPAMConfig: { IPv4Address: ip } } } },
  });
  await c.start();
  return c.id;
}

async function inClient(id: string, script: string): Promise<string> {
  const { stdout } = await exec("docker", ["exec", id, "sh", "-c", script], { timeout: 30_000 });
  return stdout;
}

function table(backends: string[]) {
  const entry: EndpointNetwork = {
    kind: "network",
    network: { id: "net1", spec: { name: "front" }, ipam: [{ subnet: SUBNET, gateway: "" }] },
    nodes: [],
    dns: [{ name: "web", endpointMode: "vip", vip: `${VIP}/24`, taskAddresses: backends }],
  };
  return new Map([["net1", entry]]);
}

describe.skipIf(skipReason !== undefined)("VIP load balancing in a client container's namespace", () => {
  const balancer = new VipBalancer({ nodeId: "vip-test", docker });
  let client = "";

  beforeAll(async () => {
    await docker.createNetwork({
      Name: NETWORK,
      Driver: "bridge",
      Labels: { [RUN_LABEL]: RUN_ID },
      IPAM: { Config: [{ Subnet: SUBNET }] },
    });
    await run("a", A, serverCommand("a"));
    await run("b", B, serverCommand("b"));
    client = await run("client", CLIENT, ["sleep", "600"]);
  }, 60_000);

  afterAll(async () => {
    await balancer.stop();
    const mine = await docker.listContainers({
      all: true,
      filters: JSON.stringify({ label: [`${RUN_LABEL}=${RUN_ID}`], name: [NETWORK] }),
    });
    await Promise.all(mine.map((c) => docker.getContainer(c.Id).remove({ force: true })));
    await docker
      .getNetwork(NETWORK)
      .remove()
      .catch(() => undefined);
  }, 60_000);

  it("spreads over both servers, keeps a leaving server's open connection, refuses with none left", async () => {
    await balancer.apply(table([A, B]));
    await balancer.containerStarted(client);
    expect(balancer.rulesOf(client)).toContain(`-d ${VIP}/32`);

    const spread = await inClient(
      client,
      `for i in $(busybox seq 1 30); do wget -q -O - http://${VIP}/; done`,
    );
    expect(new Set(spread.trim().split("\n"))).toEqual(new Set(["a", "b"]));

    // An open connection through the VIP; its server leaves the rotation while it is open.
    const open = spawn("docker", ["exec", client, "sh", "-c", `sleep 4 | nc ${VIP} 7000`]);
    let received = "";
    const closed = new Promise<void>((resolve) => open.on("close", () => resolve()));
    const first = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no greeting through the VIP: ${received}`)), 10_000);
      open.stdout.on("data", (d: Buffer) => {
        received += d.toString();
        const m = /start (\w+)/.exec(received);
        if (m) {
          clearTimeout(t);
          resolve(m[1]!);
        }
      });
    });
    const server = first === "a" ? A : B;
    const other = first === "a" ? "b" : "a";
    await balancer.removeTask({
      networksAttachments: [{ networkId: "net1", addresses: [`${server}/24`], aliases: [] }],
    });
    const after = await inClient(
      client,
      `for i in $(busybox seq 1 10); do wget -q -O - http://${VIP}/; done`,
    );
    expect(new Set(after.trim().split("\n"))).toEqual(new Set([other]));
    await closed;
    expect(received.trim().split("\n")).toEqual([`start ${first}`, `end ${first}`]);

    // The manager's table drops it too, then the last one: the VIP refuses, without waiting.
    await balancer.apply(table([server === A ? B : A]));
    await balancer.apply(table([]));
    const started = Date.now();
    const refused = await inClient(client, `wget -q -O - http://${VIP}/ 2>&1 || echo refused`);
    expect(refused).toMatch(/refused/i);
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 60_000);
});

if (skipReason !== undefined) it.skip(`VIP balancer on a real engine skipped: ${skipReason}`, () => {});
