/**
 * bench:mesh — the routing mesh on real node processes (a manager and two workers on loopback,
 * sharing DOCKER_HOST's dockerd; meshes on 127.0.0.1/2/3). A 4-replica busybox httpd service is
 * published in ingress mode and runs on the workers only; clients go to the manager's mesh.
 *  1. throughput, steady state: direct (round robin over the tasks' own host ports) against the
 *     mesh, alternating, `--rounds` times: the median ratio is `mesh_vs_direct_throughput`;
 *  2. a forced rolling update (parallelism 1) under load: at least `--requests` requests with
 *     `--concurrency` clients, until every task was replaced: `requests`, `failed`, `p99_ms`.
 * `--json` prints one line: {"requests","failed","p99_ms","mesh_vs_direct_throughput"}.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { TaskState } from "@shoal/store";
import { DaemonProcess, eventually } from "../test/daemon-process.ts";
import { removeRunContainers, webContainer } from "../test/task-containers.ts";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    requests: { type: "string", default: "500" },
    concurrency: { type: "string", default: "10" },
    rounds: { type: "string", default: "3" },
  },
});
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const RUN_ID = randomBytes(4).toString("hex");
const say = (line: string) => values.json || console.log(line);

interface TaskRow {
  id: string;
  desiredState: number;
  status: { state: number; portBindings?: { hostPort: number }[] };
}

function get(port: number, host = "127.0.0.1"): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: "/", agent: false }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.setTimeout(5_000, () => req.destroy(new Error("timeout")));
    req.end();
  });
}

/** `concurrency` clients; at least `count` requests, and until `more()` says stop (bounded: 120 s). */
async function load(ports: number[], count: number, more: () => boolean = () => false) {
  let sent = 0;
  let failed = 0;
  const latenciesMs: number[] = [];
  const start = performance.now();
  const deadline = Date.now() + 120_000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while ((sent < count || more()) && Date.now() < deadline) {
        const port = ports[sent++ % ports.length]!;
        const t = performance.now();
        await get(port).then(
          () => latenciesMs.push(performance.now() - t),
          () => failed++,
        );
      }
    }),
  );
  return { sent, failed, latenciesMs, perSecond: (sent - failed) / ((performance.now() - start) / 1000) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const root = await mkdtemp(join(tmpdir(), "shoal-bench-mesh-"));
const daemons: DaemonProcess[] = [];
try {
  const mesh = (n: number) => ({ args: ["--mesh-listen-host", `127.0.0.${n}`, "--log-level", "warn"] });
  daemons.push(
    ...(await Promise.all(["m1", "w1", "w2"].map((name, i) => DaemonProcess.start(root, name, mesh(i + 1))))),
  );
  const [m1, w1, w2] = daemons as [DaemonProcess, DaemonProcess, DaemonProcess];
  await m1.call("swarm/init", { advertiseAddr: m1.addr });
  const { token } = await m1.control<{ token: string }>("swarm.joinToken", { role: "worker" });
  for (const w of [w1, w2]) await w.call("swarm/join", { token, remoteAddr: m1.addr, advertiseAddr: w.addr });
  await m1.control("service.create", {
    spec: {
      name: "web",
      mode: { replicated: { replicas: 4 } },
      taskTemplate: {
        containerSpec: webContainer(RUN_ID, "echo hello"),
        placement: { constraints: ["node.role==worker"] },
      },
      updateConfig: { parallelism: 1, delayMs: 0, monitorMs: 500 },
      endpointSpec: {
        mode: "vip",
        ports: [{ protocol: "tcp", targetPort: 80, publishedPort: 0, publishMode: "ingress" }],
      },
    },
  });
  const running = () =>
    eventually(
      async () => {
        const tasks = await m1.control<TaskRow[]>("task.list", { filters: { service: "web" } });
        const up = tasks.filter(
          (t) => t.desiredState === TaskState.Running && t.status.state === TaskState.Running,
        );
        return up.length === 4 && tasks.filter((t) => t.desiredState === TaskState.Running).length === 4
          ? up
          : undefined;
      },
      "4 running tasks",
      60_000,
    );
  const tasks = await running();
  const direct = tasks.map((t) => t.status.portBindings?.[0]?.hostPort ?? 0);
  const service = await m1.control<{ spec: unknown; endpoint?: { ports: { publishedPort: number }[] } }>(
    "service.inspect",
    { service: "web" },
  );
  const published = service.endpoint?.ports[0]?.publishedPort ?? 0;
  await eventually(() => get(published).then(() => true), "the mesh to answer");

  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const d = await load(direct, requests);
    const m = await load([published], requests);
    ratios.push(m.perSecond / d.perSecond);
    say(`round ${r + 1}: direct ${d.perSecond.toFixed(0)} req/s, mesh ${m.perSecond.toFixed(0)} req/s`);
  }

  const before = new Set(tasks.map((t) => t.id));
  let updated = false;
  const during = load([published], requests, () => !updated);
  const t0 = performance.now();
  await m1.control("service.update", { service: "web", spec: service.spec, force: true });
  await eventually(
    async () => ((await running()).every((t) => !before.has(t.id)) ? true : undefined),
    "every task replaced",
    90_000,
  );
  updated = true;
  const u = await during;
  say(`rolling update of 4 tasks: ${((performance.now() - t0) / 1000).toFixed(1)} s, ${u.sent} requests`);
  const sorted = u.latenciesMs.sort((a, b) => a - b);
  const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
  const result = {
    requests: u.sent,
    failed: u.failed,
    p99_ms: Number(p99.toFixed(2)),
    mesh_vs_direct_throughput: Number(median(ratios).toFixed(3)),
  };
  console.log(values.json ? JSON.stringify(result) : result);
} finally {
  await Promise.all(daemons.map((d) => d.kill()));
  await removeRunContainers(RUN_ID);
  await rm(root, { recursive: true, force: true });
}
