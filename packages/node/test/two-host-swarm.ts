/**
 * Two hosts in network namespaces on a test bridge (10.77.x.0/24), each with its own dockerd and
 * a node process: one to be the manager, one the worker. Set up in beforeAll; the node processes,
 * the hosts (dockerds and the containerd/shims they leave, namespaces, links, the iptables rule)
 * and the data directories are taken down in afterAll, also after a failure. Call it inside a
 * `describe` that is skipped when `multiHostSkipReason()` gives a reason.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { type TestHost, TestHosts } from "../../agent/src/network/test-support/netns-hosts.ts";
import { DaemonProcess, eventually } from "./daemon-process.ts";

const PORT = 2377;

export interface NodeRow {
  id: string;
  description?: { hostname: string };
  status: { state: string; addr: string };
}

export interface TwoHostSwarm {
  /** The manager's host. */
  readonly h1: TestHost;
  /** The worker's host. */
  readonly h2: TestHost;
  readonly manager: DaemonProcess;
  readonly worker: DaemonProcess;
  /** `swarm init` on the manager, the worker joined over the namespaces' addresses; both READY. */
  initAndJoin(): Promise<NodeRow[]>;
}

/** Node names are `<prefix>-manager` and `<prefix>-worker`. */
export function twoHostSwarm(prefix: string): TwoHostSwarm {
  const testHosts = new TestHosts();
  const daemons: DaemonProcess[] = [];
  let root = "";
  let hosts: [TestHost, TestHost] | undefined;
  const started = () => {
    if (!hosts || daemons.length < 2) throw new Error("the two hosts are set up in beforeAll");
    return { hosts, manager: daemons[0]!, worker: daemons[1]! };
  };
  const onHost = (host: TestHost, name: string) =>
    DaemonProcess.start(root, name, {
      addr: `${host.address}:${PORT}`,
      wrapper: ["nsenter", `--net=${host.netnsPath}`],
      args: ["--docker-host", `unix://${host.dockerSocket}`],
    });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), `shoal-${prefix}-`));
    hosts = (await testHosts.create(2)) as [TestHost, TestHost];
    daemons.push(await onHost(hosts[0], `${prefix}-manager`));
    daemons.push(await onHost(hosts[1], `${prefix}-worker`));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.kill()));
    await testHosts.cleanup();
    if (root) await rm(root, { recursive: true, force: true });
  }, 60_000);

  return {
    get h1() {
      return started().hosts[0];
    },
    get h2() {
      return started().hosts[1];
    },
    get manager() {
      return started().manager;
    },
    get worker() {
      return started().worker;
    },
    async initAndJoin() {
      const { manager, worker } = started();
      await manager.call("swarm/init", { advertiseAddr: manager.addr });
      const { token } = await manager.control<{ token: string }>("swarm.joinToken", { role: "worker" });
      await worker.call("swarm/join", { token, remoteAddr: manager.addr, advertiseAddr: worker.addr });
      return eventually(async () => {
        const all = await manager.control<NodeRow[]>("node.list", {});
        return all.length === 2 && all.every((n) => n.status.state === "ready") ? all : undefined;
      }, "both nodes READY");
    },
  };
}
