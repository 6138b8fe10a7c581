/**
 * Two hosts in network namespaces on a test bridge (10.77.x.0/24), each with its own dockerd:
 * a manager in one, a worker in the other, joined over the namespaces' addresses. A 2-replica
 * service constrained to the worker runs on the worker's dockerd and nowhere else. The hosts
 * (dockerds and the containerd/shims they leave, namespaces, links, the iptables rule) are taken
 * down in afterAll, also after a failure. Needs root and `ip netns`; skipped otherwise, saying so.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TaskState } from "@shoal/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  multiHostSkipReason,
  type TestHost,
  TestHosts,
} from "../../agent/src/network/test-support/netns-hosts.ts";
import { DaemonProcess, eventually } from "./daemon-process.ts";
import { RUN_LABEL, taskContainers } from "./task-containers.ts";

const skipReason = await multiHostSkipReason();
const RUN_ID = randomBytes(4).toString("hex");
const PORT = 2377;

interface NodeRow {
  id: string;
  description?: { hostname: string };
  status: { state: string; addr: string };
}
interface TaskRow {
  id: string;
  nodeId?: string;
  desiredState: number;
  status: { state: number };
}

describe.skipIf(skipReason !== undefined)("a manager and a worker on two hosts (network namespaces)", () => {
  const testHosts = new TestHosts();
  let root: string;
  const daemons: DaemonProcess[] = [];
  let h1: TestHost;
  let h2: TestHost;
  let manager: DaemonProcess;
  let worker: DaemonProcess;

  const onHost = (host: TestHost, name: string) =>
    DaemonProcess.start(root, name, {
      addr: `${host.address}:${PORT}`,
      wrapper: ["nsenter", `--net=${host.netnsPath}`],
      args: ["--docker-host", `unix://${host.dockerSocket}`],
    });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "shoal-multi-host-"));
    [h1, h2] = (await testHosts.create(2)) as [TestHost, TestHost];
    manager = await onHost(h1, "mh-manager");
    daemons.push(manager);
    worker = await onHost(h2, "mh-worker");
    daemons.push(worker);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.kill()));
    await testHosts.cleanup();
    await rm(root, { recursive: true, force: true });
  }, 60_000);

  it("joins the worker over the namespaces' addresses and runs a constrained service on its dockerd", async () => {
    await manager.call("swarm/init", { advertiseAddr: manager.addr });
    const { token } = await manager.control<{ token: string }>("swarm.joinToken", { role: "worker" });
    await worker.call("swarm/join", { token, remoteAddr: manager.addr, advertiseAddr: worker.addr });
    const nodes = await eventually(async () => {
      const all = await manager.control<NodeRow[]>("node.list", {});
      return all.length === 2 && all.every((n) => n.status.state === "ready") ? all : undefined;
    }, "both nodes READY");
    const workerRow = nodes.find((n) => n.description?.hostname === "mh-worker")!;
    expect(workerRow.status.addr).toBe(h2.address);

    await manager.control("service.create", {
      spec: {
        name: "pinned",
        mode: { replicated: { replicas: 2 } },
        taskTemplate: {
          containerSpec: {
            image: "shoal-test/busybox:1",
            args: ["sleep", "3600"],
            labels: { [RUN_LABEL]: RUN_ID },
            stopGracePeriodMs: 1_000,
          },
          placement: { constraints: ["node.hostname==mh-worker"] },
        },
      },
    });
    const running = await eventually(async () => {
      const tasks = await manager.control<TaskRow[]>("task.list", { filters: { service: "pinned" } });
      const up = tasks.filter((t) => t.status.state === TaskState.Running);
      return up.length === 2 ? up : undefined;
    }, "2 running tasks");
    expect(running.every((t) => t.nodeId === workerRow.id)).toBe(true);

    const onWorker = await taskContainers(RUN_ID, `unix://${h2.dockerSocket}`);
    expect(
      onWorker
        .filter((c) => c.running)
        .map((c) => c.taskId)
        .sort(),
    ).toEqual(running.map((t) => t.id).sort());
    expect(onWorker.every((c) => c.nodeId === workerRow.id)).toBe(true);
    expect(await taskContainers(RUN_ID, `unix://${h1.dockerSocket}`)).toEqual([]);
  });
});

if (skipReason !== undefined) it.skip(`multi-host test skipped: ${skipReason}`, () => {});
