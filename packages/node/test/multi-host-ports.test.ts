/**
 * Published ports across two hosts (network namespaces, one dockerd each; a manager on one, a
 * worker on the other), reached from outside the hosts as a client would:
 * - a UDP port published through the routing mesh answers a datagram sent to the host that runs
 *   no task (the task is a UDP echo server: the host's node binary, its /usr mounted read-only);
 * - so does a TCP port (HTTP) published through the mesh;
 * - a TCP port published in host mode answers only on the host that runs the task; with more
 *   replicas than hosts, each host runs one and the extra task stays PENDING with the scheduler's
 *   explanation.
 * Everything goes in afterAll, also after a failure. Needs root and `ip netns`; skipped otherwise.
 */
import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import { request } from "node:http";
import { TaskState } from "@shoal/store";
import { describe, expect, it } from "vitest";
import { multiHostSkipReason } from "../../agent/src/network/test-support/netns-hosts.ts";
import { eventually } from "./daemon-process.ts";
import type { ServiceRow, TaskRow } from "./store-rows.ts";
import { RUN_LABEL, webContainer } from "./task-containers.ts";
import { twoHostSwarm } from "./two-host-swarm.ts";

const skipReason = await multiHostSkipReason();
const RUN_ID = randomBytes(4).toString("hex");
const HOST_PORT = 18_089;

/** Replies to each datagram with `<its host name>:<the datagram>`. */
const UDP_ECHO = `const s = require("node:dgram").createSocket("udp4");
s.on("message", (m, r) => s.send(require("node:os").hostname() + ":" + m, r.port, r.address));
s.bind(9000);`;

/** One datagram to host:port; the reply's text. Rejects when none comes within a second. */
function udpRoundTrip(host: string, port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createSocket("udp4");
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no UDP reply from ${host}:${port}`));
    }, 1_000);
    socket.once("message", (m) => {
      clearTimeout(timer);
      socket.close();
      resolve(m.toString());
    });
    socket.send(text, port, host);
  });
}

/** One GET; the body, or the connection error's code (ECONNREFUSED, ...). */
function get(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: "/", agent: false }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve(body.trim()));
    });
    req.on("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? String(err)));
    req.setTimeout(3_000, () => req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    req.end();
  });
}

describe.skipIf(skipReason !== undefined)("published ports across two hosts (network namespaces)", () => {
  const swarm = twoHostSwarm("pp");
  const tasksOf = (service: string) =>
    swarm.manager.control<TaskRow[]>("task.list", { filters: { service } });

  it("answers a UDP datagram sent to the host without a task, through the routing mesh", async () => {
    const nodes = await swarm.initAndJoin();
    const worker = nodes.find((n) => n.description?.hostname === "pp-worker")!;
    await swarm.manager.control("service.create", {
      spec: {
        name: "echo",
        mode: { replicated: { replicas: 1 } },
        taskTemplate: {
          containerSpec: {
            image: "shoal-test/busybox:1",
            command: ["/usr/bin/node", "-e", UDP_ECHO],
            labels: { [RUN_LABEL]: RUN_ID },
            mounts: ["/usr", "/lib", "/lib64"].map((p) => ({
              type: "bind",
              source: p,
              target: p,
              readOnly: true,
            })),
            stopGracePeriodMs: 1_000,
          },
          placement: { constraints: ["node.hostname==pp-worker"] },
        },
        endpointSpec: {
          mode: "vip",
          ports: [{ protocol: "udp", targetPort: 9000, publishedPort: 0, publishMode: "ingress" }],
        },
      },
    });
    const [task] = await eventually(
      async () => {
        const up = (await tasksOf("echo")).filter((t) => t.status.state === TaskState.Running);
        return up.length === 1 ? up : undefined;
      },
      "the echo task running",
      60_000,
    );
    expect(task!.nodeId).toBe(worker.id);
    const service = await swarm.manager.control<ServiceRow>("service.inspect", { service: "echo" });
    const published = service.endpoint!.ports.find((p) => p.protocol === "udp")!.publishedPort;
    expect(published).toBeGreaterThanOrEqual(30_000);

    // The manager's host runs no task: its mesh forwards the datagram and the reply comes back.
    const reply = await eventually(
      () => udpRoundTrip(swarm.h1.address, published, "ping-1"),
      "a UDP reply through the manager's host",
      30_000,
      200,
    );
    expect(reply).toMatch(/^[0-9a-f]{12}:ping-1$/);
    expect(await udpRoundTrip(swarm.h2.address, published, "ping-2")).toMatch(/:ping-2$/);
  }, 180_000);

  it("answers HTTP on a TCP port published through the mesh, on the host without a task", async () => {
    await swarm.manager.control("service.create", {
      spec: {
        name: "meshweb",
        mode: { replicated: { replicas: 1 } },
        taskTemplate: {
          containerSpec: webContainer(RUN_ID),
          placement: { constraints: ["node.hostname==pp-worker"] },
        },
        endpointSpec: {
          mode: "vip",
          ports: [{ protocol: "tcp", targetPort: 80, publishedPort: 0, publishMode: "ingress" }],
        },
      },
    });
    const published = await eventually(async () => {
      const service = await swarm.manager.control<ServiceRow>("service.inspect", { service: "meshweb" });
      return service.endpoint?.ports.find((p) => p.protocol === "tcp")?.publishedPort;
    }, "the published port allocated");
    const body = await eventually(
      async () => {
        const b = await get(swarm.h1.address, published);
        return /^[0-9a-f]{12}$/.test(b) ? b : undefined;
      },
      "HTTP through the manager's host",
      60_000,
      200,
    );
    expect(await get(swarm.h2.address, published)).toBe(body);
    await swarm.manager.control("service.remove", { service: "meshweb" });
  }, 120_000);

  it("binds a host-mode port only where a task runs, and never places two such tasks on one host", async () => {
    const hostOf = async (nodeId: string | undefined) => {
      const nodes = await swarm.manager.control<Array<{ id: string; status: { addr: string } }>>(
        "node.list",
        {},
      );
      return nodes.find((n) => n.id === nodeId)!.status.addr;
    };
    await swarm.manager.control("service.create", {
      spec: {
        name: "pinned-port",
        mode: { replicated: { replicas: 1 } },
        taskTemplate: {
          containerSpec: webContainer(RUN_ID),
        },
        endpointSpec: {
          mode: "vip",
          ports: [{ protocol: "tcp", targetPort: 80, publishedPort: HOST_PORT, publishMode: "host" }],
        },
      },
    });
    const [task] = await eventually(
      async () => {
        const up = (await tasksOf("pinned-port")).filter((t) => t.status.state === TaskState.Running);
        return up.length === 1 ? up : undefined;
      },
      "one host-mode task running",
      60_000,
    );
    const withTask = await hostOf(task!.nodeId);
    const without = withTask === swarm.h1.address ? swarm.h2.address : swarm.h1.address;
    const body = await eventually(async () => {
      const b = await get(withTask, HOST_PORT);
      return /^[0-9a-f]{12}$/.test(b) ? b : undefined;
    }, "the host-mode port answering on the task's host");
    expect(body).toMatch(/^[0-9a-f]{12}$/);
    expect(await get(without, HOST_PORT)).toBe("ECONNREFUSED");

    // Three replicas, two hosts: one per host, the third waits with the scheduler's reason.
    await swarm.manager.control("service.scale", { service: "pinned-port", replicas: 3 });
    const { running, pending } = await eventually(
      async () => {
        const tasks = (await tasksOf("pinned-port")).filter((t) => t.desiredState === TaskState.Running);
        const running = tasks.filter((t) => t.status.state === TaskState.Running);
        const pending = tasks.filter(
          (t) => t.status.state === TaskState.Pending && t.status.message.includes("host-mode port"),
        );
        return running.length === 2 && pending.length === 1 ? { running, pending } : undefined;
      },
      "two tasks running on two hosts and one pending",
      60_000,
    );
    expect(new Set(running.map((t) => t.nodeId)).size).toBe(2);
    expect(pending[0]!.status.message).toBe("no suitable node (2 nodes host-mode port already in use)");
    for (const address of [swarm.h1.address, swarm.h2.address]) {
      await eventually(
        async () => /^[0-9a-f]{12}$/.test(await get(address, HOST_PORT)),
        `the host-mode port answering on ${address}`,
      );
    }
  }, 180_000);
});

if (skipReason !== undefined) it.skip(`multi-host ports test skipped: ${skipReason}`, () => {});
