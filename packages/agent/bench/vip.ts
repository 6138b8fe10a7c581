/**
 * bench:vip — a service VIP (DNAT in the client container's namespace, `VipBalancer`) against the
 * task's own address, on the local engine: two busybox httpd servers and a client container on a
 * Docker network of this run. The client times, by its own clock (/proc/uptime), N sequential
 * small requests and M downloads of 32 MiB, to the VIP and direct, alternating, for R rounds;
 * prints medians and ratios. `--json` prints one line. Options: --requests N (300), --downloads M
 * (16), --rounds R (5). Needs root (nsenter) and iptables. Removes what it made.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { connectEngine, engineAddressFromEnv } from "../src/executor/docker/engine-connection.ts";
import { VipBalancer } from "../src/network/vip/vip-balancer.ts";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    requests: { type: "string", default: "300" },
    downloads: { type: "string", default: "16" },
    rounds: { type: "string", default: "5" },
  },
});
const requests = Number(values.requests);
const downloads = Number(values.downloads);
const rounds = Number(values.rounds);

const tag = randomBytes(3).toString("hex");
const third = 20 + (randomBytes(1)[0]! % 200);
const subnet = `10.215.${third}.0/24`;
const vip = `10.215.${third}.2`;
const servers = [`10.215.${third}.10`, `10.215.${third}.11`];
const network = `shoal-bench-vip-${tag}`;
const docker = connectEngine(engineAddressFromEnv());
const labels = { "com.shoal.bench": "vip" };

async function run(name: string, ip: string, cmd: string[]): Promise<string> {
  const c = await docker.createContainer({
    Image: "shoal-test/busybox:1",
    name: `${network}-${name}`,
    Cmd: cmd,
    Labels: labels,
    HostConfig: { NetworkMode: network },
    NetworkingConfig: { EndpointsConfig: { [network]: { IPAMConfig: { IPv4Address: ip } } } },
  });
  await c.start();
  return c.id;
}

/** Seconds the client takes for `loop` (its own clock: no docker exec cost inside). */
function timeIn(client: string, loop: string): Promise<number> {
  const script = `read a _ < /proc/uptime; ${loop}; read b _ < /proc/uptime; echo "$a $b"`;
  return new Promise((resolve, reject) => {
    execFile("docker", ["exec", client, "sh", "-c", script], { timeout: 300_000 }, (err, stdout) => {
      if (err) return reject(err);
      const [a, b] = stdout.trim().split("\n").at(-1)!.split(" ").map(Number);
      resolve(b! - a!);
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const balancer = new VipBalancer({ nodeId: "bench", docker });
await docker.createNetwork({
  Name: network,
  Driver: "bridge",
  Labels: labels,
  IPAM: { Config: [{ Subnet: subnet }] },
});
try {
  for (const [i, ip] of servers.entries()) {
    await run(`s${i}`, ip, [
      "sh",
      "-c",
      "mkdir -p /www && echo ok > /www/index.html && busybox dd if=/dev/zero of=/www/big bs=1048576 count=32 2>/dev/null; exec httpd -f -p 80 -h /www",
    ]);
  }
  const client = await run("client", `10.215.${third}.20`, ["sleep", "3600"]);
  await balancer.apply(
    new Map([
      [
        "net",
        {
          kind: "network" as const,
          network: { id: "net", spec: { name: "bench" }, ipam: [{ subnet, gateway: "" }] },
          nodes: [],
          dns: [{ name: "web", endpointMode: "vip" as const, vip, taskAddresses: servers }],
        },
      ],
    ]),
  );
  await balancer.containerStarted(client);
  await new Promise((r) => setTimeout(r, 500));
  const small = (to: string) =>
    `for i in $(busybox seq 1 ${requests}); do wget -q -O /dev/null http://${to}/ || exit 1; done`;
  const big = (to: string) =>
    `for i in $(busybox seq 1 ${downloads}); do wget -q -O /dev/null http://${to}/big || exit 1; done`;
  const t = {
    vipSmall: [] as number[],
    directSmall: [] as number[],
    vipBig: [] as number[],
    directBig: [] as number[],
  };
  for (let r = 0; r < rounds; r++) {
    t.directSmall.push(await timeIn(client, small(servers[0]!)));
    t.vipSmall.push(await timeIn(client, small(vip)));
    t.directBig.push(await timeIn(client, big(servers[0]!)));
    t.vipBig.push(await timeIn(client, big(vip)));
  }
  const perRequestMs = (s: number) => (s * 1000) / requests;
  const mibPerS = (s: number) => (downloads * 32) / s;
  const result = {
    requests_per_round: requests,
    vip_ms_per_request: Number(perRequestMs(median(t.vipSmall)).toFixed(2)),
    direct_ms_per_request: Number(perRequestMs(median(t.directSmall)).toFixed(2)),
    vip_vs_direct_time: Number((median(t.vipSmall) / median(t.directSmall)).toFixed(3)),
    vip_mib_per_s: Math.round(mibPerS(median(t.vipBig))),
    direct_mib_per_s: Math.round(mibPerS(median(t.directBig))),
    vip_vs_direct_throughput: Number((median(t.directBig) / median(t.vipBig)).toFixed(3)),
  };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(
      `${requests} sequential requests (wget, new connection each), median of ${rounds}: ` +
        `VIP ${result.vip_ms_per_request} ms/request, direct ${result.direct_ms_per_request} ms (VIP/direct ${result.vip_vs_direct_time})`,
    );
    console.log(
      `${downloads} x 32 MiB: VIP ${result.vip_mib_per_s} MiB/s, direct ${result.direct_mib_per_s} MiB/s ` +
        `(VIP/direct ${result.vip_vs_direct_throughput})`,
    );
  }
} finally {
  await balancer.stop();
  const mine = await docker.listContainers({ all: true, filters: JSON.stringify({ name: [network] }) });
  await Promise.all(
    mine.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
  await docker
    .getNetwork(network)
    .remove()
    .catch(() => undefined);
}
