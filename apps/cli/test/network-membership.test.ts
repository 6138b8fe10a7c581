/**
 * What a user sees of a network's members against a real `shoal daemon` (temp data dir, free
 * ports, the Docker Engine at /tmp/shoal-docker/docker.sock): `network inspect` lists the task
 * containers with node and IPv4 address, the service with its VIP and the node's own address on
 * the network; `service inspect` shows the endpoint's VIP per network (JSON and --pretty);
 * `network rm` is refused while a service uses the network, naming it. Skipped without an engine.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Daemon, freePort, type Result, shoal, tasksCanRunOn } from "./shoal-cli.ts";

const DOCKER_HOST = "unix:///tmp/shoal-docker/docker.sock";
const IMAGE = "shoal-test/busybox:1";
// A subnet of its own per run: the node makes a Docker network with it on the shared engine.
const OCTET = 100 + (randomBytes(1)[0]! % 100);
const SUBNET = `10.${OCTET}.77.0/24`;
const RUN = randomBytes(4).toString("hex");

let root: string;
let daemon: Daemon;
let env: NodeJS.ProcessEnv;
let engine = false;

const run = (...args: string[]) => shoal(args, env);
const ok = (r: Result) => {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
};

interface Member {
  name: string;
  nodeName: string;
  ipv4Address: string;
  state: string;
}
interface InspectedNetwork {
  id: string;
  containers: Member[];
  services: Array<{ name: string; vip?: string; tasks: number }>;
  peers: Array<{ name: string; networkAddress?: string; tasks: number }>;
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "shoal-cli-net-"));
  const [apiPort, listenPort] = [await freePort(), await freePort()];
  const host = `http://127.0.0.1:${apiPort}`;
  env = { SHOAL_HOST: host, SHOAL_CONFIG: join(root, "config"), DOCKER_HOST };
  daemon = Daemon.start(
    [
      ...["--data-dir", join(root, "data"), "--listen-addr", `127.0.0.1:${listenPort}`],
      ...["--api-addr", `127.0.0.1:${apiPort}`, "--log-level", "warn"],
    ],
    env,
  );
  await daemon.waitForApi(host);
  ok(await run("swarm", "init", "--admin-user", "admin", "--admin-password", "correct-horse"));
  engine = await tasksCanRunOn(host, DOCKER_HOST);
}, 90_000);

afterAll(async () => {
  if (engine) await run("service", "rm", "vipweb");
  await daemon?.stop();
  if (root) await rm(root, { recursive: true, force: true });
}, 60_000);

describe("network membership in the CLI", { timeout: 150_000 }, () => {
  it("network inspect lists task containers, the service's VIP and the node; service inspect shows the VIP", async (ctx) => {
    if (!engine) ctx.skip();
    ok(await run("network", "create", "-d", "overlay", "--subnet", SUBNET, "members"));
    ok(
      await run(
        ...["service", "create", "--detach", "--name", "vipweb", "--replicas", "2", "--network", "members"],
        ...[
          "--container-label",
          `com.shoal.test.run=${RUN}`,
          "--stop-grace-period",
          "1s",
          IMAGE,
          "sleep",
          "300",
        ],
      ),
    );
    const inspected = await until(
      async () => {
        const [n] = JSON.parse(ok(await run("network", "inspect", "members"))) as InspectedNetwork[];
        return n && n.containers.filter((c) => c.state === "running").length === 2 ? n : undefined;
      },
      "two running task containers on the network",
      90_000,
    ).catch(async (err) => {
      const ps = await run("service", "ps", "--no-trunc", "vipweb");
      throw new Error(`${String(err)}\n${ps.stdout}${ps.stderr}\n${daemon.log.slice(-3_000)}`);
    });
    const hostname = ok(await run("node", "ls", "--format", "json"));
    const nodeName = (JSON.parse(hostname) as Array<{ description: { hostname: string } }>)[0]!.description
      .hostname;
    const prefix = `10.${OCTET}.77.`;
    expect(inspected.containers.map((c) => c.name)).toEqual([
      expect.stringMatching(/^vipweb\.1\.[0-9a-z]{25}$/),
      expect.stringMatching(/^vipweb\.2\.[0-9a-z]{25}$/),
    ]);
    for (const c of inspected.containers) {
      expect(c.nodeName).toBe(nodeName);
      expect(c.ipv4Address.startsWith(prefix) && c.ipv4Address.endsWith("/24")).toBe(true);
    }
    expect(new Set(inspected.containers.map((c) => c.ipv4Address)).size).toBe(2);
    const vip = inspected.services.find((s) => s.name === "vipweb")?.vip;
    expect(vip?.startsWith(prefix)).toBe(true);
    expect(inspected.services).toEqual([
      { serviceId: expect.any(String), name: "vipweb", endpointMode: "vip", vip, tasks: 2 },
    ]);
    expect(inspected.peers).toEqual([
      {
        nodeId: expect.any(String),
        name: nodeName,
        address: expect.any(String),
        networkAddress: `${prefix}254`,
        tasks: 2,
      },
    ]);

    const pretty = ok(await run("network", "inspect", "--pretty", "members"));
    expect(pretty).toContain(`Subnet:                 ${SUBNET}`);
    expect(pretty).toMatch(new RegExp(`^ vipweb\\s+vip\\s+${vip!.replace(/[./]/g, "\\$&")}\\s+2$`, "m"));
    for (const c of inspected.containers) {
      expect(pretty).toMatch(
        new RegExp(`^ [0-9a-z]{12}\\s+${c.name}\\s+${nodeName}\\s+${c.ipv4Address}\\s+running$`, "m"),
      );
    }
    expect(pretty).toMatch(new RegExp(`^ ${nodeName}\\s+\\S+\\s+${prefix}254\\s+2$`, "m"));

    const [service] = JSON.parse(ok(await run("service", "inspect", "vipweb"))) as Array<{
      endpoint: {
        spec: { mode: string };
        ports: unknown[];
        virtualIps: Array<{ networkId: string; addr: string }>;
      };
    }>;
    expect(service!.endpoint.spec.mode).toBe("vip");
    expect(service!.endpoint.virtualIps).toEqual([{ networkId: inspected.id, addr: vip }]);
    const servicePretty = ok(await run("service", "inspect", "--pretty", "vipweb"));
    expect(servicePretty).toMatch(/^Networks:\s+members$/m);
    expect(servicePretty).toMatch(
      new RegExp(`^Virtual IPs:\\n members:\\s+${vip!.replace(/[./]/g, "\\$&")}$`, "m"),
    );
  });

  it("network rm is refused while a service uses the network, naming it, and works once it is gone", async (ctx) => {
    if (!engine) ctx.skip();
    const refused = await run("network", "rm", "members");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'network "members" is in use by service "vipweb": remove the service or detach it from the network first',
    );
    ok(await run("service", "rm", "vipweb"));
    ok(await run("network", "rm", "members"));
    expect(ok(await run("network", "ls"))).not.toMatch(/\smembers\s/);
  });
});
