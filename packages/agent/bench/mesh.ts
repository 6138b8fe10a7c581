/**
 * bench:mesh — throughput of the routing mesh against going direct, with a busybox httpd container
 * as the backend (published on 127.0.0.1). Same run, same backend, alternating phases; prints
 * ratios. `--json` prints one line: {"requests","failed","p99_ms","mesh_vs_direct_throughput"}.
 * Options: --requests N (500), --concurrency N (10), --rounds N (3).
 * The rolling-update version (tasks leaving and joining while traffic flows) needs the daemon.
 */
import { request } from "node:http";
import { parseArgs } from "node:util";
import { connectEngine, engineAddressFromEnv } from "../src/executor/docker/engine-connection.ts";
import { RoutingMesh } from "../src/network/mesh/routing-mesh.ts";
import { freePort } from "../src/network/test-support/socket-helpers.ts";

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

function get(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/", agent: false }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.setTimeout(5_000, () => req.destroy(new Error("timeout")));
    req.end();
  });
}

async function load(port: number): Promise<{ seconds: number; failed: number; latenciesMs: number[] }> {
  let next = 0;
  let failed = 0;
  const latenciesMs: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next++;
        const t = performance.now();
        try {
          await get(port);
          latenciesMs.push(performance.now() - t);
        } catch {
          failed++;
        }
      }
    }),
  );
  return { seconds: (performance.now() - start) / 1000, failed, latenciesMs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const docker = connectEngine(engineAddressFromEnv());
const container = await docker.createContainer({
  Image: "shoal-test/busybox:1",
  Cmd: ["sh", "-c", "mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 80 -h /www"],
  Labels: { "com.shoal.bench": "mesh" },
  ExposedPorts: { "80/tcp": {} },
  HostConfig: { PortBindings: { "80/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] } },
});
const mesh = new RoutingMesh({ listenHost: "127.0.0.1" });
try {
  await container.start();
  const info = await container.inspect();
  const direct = Number(info.NetworkSettings.Ports["80/tcp"]?.[0]?.HostPort);
  const published = await freePort();
  await mesh.apply({
    services: [
      {
        serviceId: "bench",
        ports: [{ protocol: "tcp", publishedPort: published, targetPort: direct }],
        backends: [{ taskId: "t1", address: "127.0.0.1" }],
      },
    ],
  });
  for (let i = 0; i < 50; i++)
    if (
      await get(direct).then(
        () => true,
        () => false,
      )
    )
      break;
  const ratios: number[] = [];
  const meshLatencies: number[] = [];
  let failed = 0;
  for (let r = 0; r < rounds; r++) {
    const d = await load(direct);
    const m = await load(published);
    failed += m.failed;
    meshLatencies.push(...m.latenciesMs);
    ratios.push((requests - m.failed) / m.seconds / ((requests - d.failed) / d.seconds));
    if (!values.json) {
      console.log(
        `round ${r + 1}: direct ${(requests / d.seconds).toFixed(0)} req/s, mesh ${(requests / m.seconds).toFixed(0)} req/s`,
      );
    }
  }
  meshLatencies.sort((a, b) => a - b);
  const p99 = meshLatencies[Math.min(meshLatencies.length - 1, Math.floor(meshLatencies.length * 0.99))] ?? 0;
  const result = {
    requests: requests * rounds,
    failed,
    p99_ms: Number(p99.toFixed(2)),
    mesh_vs_direct_throughput: Number(median(ratios).toFixed(3)),
  };
  console.log(values.json ? JSON.stringify(result) : result);
} finally {
  await mesh.close();
  await container.remove({ force: true });
}
