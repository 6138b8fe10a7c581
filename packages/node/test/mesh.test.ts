/**
 * The routing mesh on running nodes: real node processes on loopback (a manager and two workers)
 * sharing the machine's dockerd, each node's mesh on its own loopback address (m1 127.0.0.1, w1
 * 127.0.0.2, w2 127.0.0.3). A 2-replica busybox httpd service published in ingress mode runs on the
 * workers only, and answers on the manager's address, which runs no task; after a scale-down the
 * removed task leaves the rotation; a forced rolling update (parallelism 1) under a steady load of
 * 10 concurrent clients fails no request.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TaskState } from "@shoal/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DaemonProcess, eventually } from "./daemon-process.ts";
import type { ServiceRow, TaskRow } from "./store-rows.ts";
import { dockerAvailable, removeRunContainers, webContainer } from "./task-containers.ts";

const RUNNING = TaskState.Running;
const RUN_ID = randomBytes(4).toString("hex");
const engine = await dockerAvailable();

const webSpec = (replicas: number) => ({
  name: "web",
  mode: { replicated: { replicas } },
  taskTemplate: {
    // Each task answers with its container's host name, so the test sees which task served.
    containerSpec: webContainer(RUN_ID),
    placement: { constraints: ["node.role==worker"] },
  },
  updateConfig: { parallelism: 1, delayMs: 0, monitorMs: 500 },
  endpointSpec: {
    mode: "vip",
    ports: [{ protocol: "tcp", targetPort: 80, publishedPort: 0, publishMode: "ingress" }],
  },
});

/** One GET through the mesh: the body (the serving task's host name). Fails on anything but 200. */
function get(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: "/", agent: false }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () =>
        res.statusCode === 200 ? resolve(body.trim()) : reject(new Error(`HTTP ${res.statusCode}`)),
      );
    });
    req.on("error", reject);
    req.setTimeout(5_000, () => req.destroy(new Error("timeout")));
    req.end();
  });
}

describe.skipIf(!engine.ok)("routing mesh on node processes sharing one dockerd", () => {
  let root: string;
  let m1: DaemonProcess;
  let w1: DaemonProcess;
  let w2: DaemonProcess;
  let port = 0;

  const running = async (replicas: number) =>
    eventually(
      async () => {
        const tasks = await m1.control<TaskRow[]>("task.list", { filters: { service: "web" } });
        const up = tasks.filter((t) => t.desiredState === RUNNING && t.status.state === RUNNING);
        const leaving = tasks.filter((t) => t.desiredState === RUNNING && t.status.state !== RUNNING);
        return up.length === replicas && leaving.length === 0 ? up : undefined;
      },
      `${replicas} running tasks of web`,
      30_000,
    );
  /** The task host names that answer `n` requests on the manager's mesh. */
  const served = async (n: number) => {
    const names = new Set<string>();
    for (let i = 0; i < n; i++) names.add(await get("127.0.0.1", port));
    return names;
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "shoal-mesh-test-"));
    const mesh = (n: number) => ({ args: ["--mesh-listen-host", `127.0.0.${n}`] });
    [m1, w1, w2] = await Promise.all([
      DaemonProcess.start(root, "m1", mesh(1)),
      DaemonProcess.start(root, "w1", mesh(2)),
      DaemonProcess.start(root, "w2", mesh(3)),
    ]);
    await m1.call("swarm/init", { advertiseAddr: m1.addr });
    const { token } = await m1.control<{ token: string }>("swarm.joinToken", { role: "worker" });
    for (const w of [w1, w2])
      await w.call("swarm/join", { token, remoteAddr: m1.addr, advertiseAddr: w.addr });
  }, 90_000);

  afterAll(async () => {
    await Promise.all([m1, w1, w2].filter(Boolean).map((d) => d.kill()));
    await removeRunContainers(RUN_ID);
    await rm(root, { recursive: true, force: true });
  }, 60_000);

  it("answers on the published port of a node that runs no task, from both tasks", async () => {
    await m1.control("service.create", { spec: webSpec(2) });
    port = await eventually(async () => {
      const service = await m1.control<ServiceRow>("service.inspect", { service: "web" });
      return service.endpoint?.ports[0]?.publishedPort || undefined;
    }, "the published port");
    expect(port).toBeGreaterThanOrEqual(30_000);
    await running(2);
    const names = await eventually(async () => {
      const seen = await served(20).catch(() => undefined);
      return seen && seen.size === 2 ? seen : undefined;
    }, "both tasks answering through m1's mesh");
    expect(names.size).toBe(2);
  }, 60_000);

  it("takes a removed task out of rotation after a scale-down", async () => {
    await m1.control("service.scale", { service: "web", replicas: 1 });
    await running(1);
    const names = await eventually(async () => {
      const seen = await served(20).catch(() => undefined);
      return seen && seen.size === 1 ? seen : undefined;
    }, "one task answering");
    // Stays at one: the removed task is no longer picked.
    expect((await served(30)).size).toBe(names.size);
    await m1.control("service.scale", { service: "web", replicas: 2 });
    await running(2);
  }, 60_000);

  it("fails no request during a rolling update with parallelism 1", async () => {
    const before = new Set((await running(2)).map((t) => t.id));
    await eventually(
      async () => ((await served(20).catch(() => new Set())).size === 2 ? true : undefined),
      "2 in rotation",
    );
    let requests = 0;
    let failed = 0;
    const errors: string[] = [];
    let updated = false;
    const deadline = Date.now() + 60_000;
    const client = async () => {
      // Bounded: at least 300 requests, then until the update is over (at most 60 s).
      while ((requests < 300 || !updated) && Date.now() < deadline) {
        requests++;
        await get("127.0.0.1", port).catch((e: Error) => {
          failed++;
          if (errors.length < 5) errors.push(e.message);
        });
      }
    };
    const load = Promise.all(Array.from({ length: 10 }, client));
    const current = await m1.control<ServiceRow>("service.inspect", { service: "web" });
    await m1.control("service.update", { service: "web", spec: current.spec, force: true });
    await eventually(
      async () => {
        const tasks = await running(2);
        return tasks.every((t) => !before.has(t.id)) ? true : undefined;
      },
      "every task replaced",
      45_000,
    );
    updated = true;
    await load;
    expect({ requests: requests >= 300, failed, errors }).toEqual({ requests: true, failed: 0, errors: [] });
  }, 120_000);
});
