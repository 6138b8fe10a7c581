/**
 * The benchmark's cluster: one real manager node with the real dashboard server (Next.js
 * production build, the node's HTTP server, socket.io) in this process, and SIMULATED AGENTS
 * (packages/testkit) standing in for the workers: their nodes are registered in the store and
 * their status reports are written the way the dispatcher writes them, without containers.
 * The manager's own node is drained so no real container starts.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningNode, SILENT_LOGGER, startNode } from "@shoal/node";
import { type Store, TaskState } from "@shoal/store";
import { registerSimulatedNodes, SimulatedAgents, simServiceSpec, waitUntil } from "@shoal/testkit";
import createNextServer from "next";
import { freePort } from "../../../e2e/support/node-process.ts";

const WEB_DIR = fileURLToPath(new URL("..", import.meta.url));
/** Heartbeats the simulated nodes never send: long enough that none is marked DOWN during a run. */
const BENCH_HEARTBEAT_PERIOD_MS = 24 * 3600_000;
const SIM_NODE_RESOURCES = { nanoCpus: 64_000_000_000, memoryBytes: 256 * 1024 ** 3 };

export const BENCH_ADMIN = { name: "admin", password: "bench-ui-password-1" };

export interface BenchCluster {
  readonly url: string;
  readonly store: Store;
  readonly agents: SimulatedAgents;
  /** Service ids in name order (svc-000, svc-001, ...). */
  readonly serviceIds: string[];
  stop(): Promise<void>;
}

/** Builds the dashboard once when this checkout has no production build (as `npm start` does). */
export function ensureWebBuild(log: (msg: string) => void): void {
  if (existsSync(join(WEB_DIR, ".next", "BUILD_ID"))) return;
  log("no production build of the dashboard: running npm run build:web once");
  const built = spawnSync("npm", ["run", "build:web"], { stdio: ["ignore", 2, 2] });
  if (built.status !== 0) throw new Error("npm run build:web failed; see the output above");
}

export async function startBenchCluster(options: {
  services: number;
  replicas: number;
  simulatedNodes: number;
  log: (msg: string) => void;
}): Promise<BenchCluster> {
  const { log } = options;
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  const dir = await mkdtemp(join(tmpdir(), "shoal-bench-ui-"));
  const app = (createNextServer as unknown as typeof createNextServer.default)({ dev: false, dir: WEB_DIR });
  const handle = app.getRequestHandler();
  await app.prepare();
  const apiAddr = `127.0.0.1:${await freePort()}`;
  const running: RunningNode = await startNode({
    dataDir: join(dir, "manager"),
    apiAddr,
    listenAddr: `127.0.0.1:${await freePort()}`,
    hostname: "bench-manager",
    logger: SILENT_LOGGER,
    http: { uiHandler: (req, res) => void handle(req, res) },
  });
  const url = `http://${running.apiAddr}`;
  const init = await fetch(`${url}/api/trpc/swarm.init`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ admin: BENCH_ADMIN }),
  });
  if (!init.ok) throw new Error(`swarm.init answered ${init.status}: ${await init.text()}`);
  await waitUntil(() => running.node.manager?.state.store !== undefined, { what: "the manager role" });
  const store = running.node.manager!.state.store;
  await prepareForSimulatedAgents(store);

  const nodeIds = await registerSimulatedNodes(store, options.simulatedNodes, SIM_NODE_RESOURCES);
  const agents = new SimulatedAgents({ stepLatencyMs: 5, jitterMs: 5, stopLatencyMs: 5 });
  for (const id of nodeIds) agents.add(id);
  agents.attach(store);
  log(`${nodeIds.length} simulated agents; creating ${options.services} x ${options.replicas} tasks`);

  const created = await store.update((tx) =>
    Array.from({ length: options.services }, (_, i) =>
      tx.create("service", {
        // Restart condition none: a task the bench fails stays failed, so counts only go down.
        spec: simServiceSpec(serviceName(i), options.replicas, { restartCondition: "none" }),
      }),
    ),
  );
  const total = options.services * options.replicas;
  await waitUntil(() => runningTasks(store) === total, {
    what: `${total} tasks RUNNING`,
    timeoutMs: 300_000,
    intervalMs: 250,
  });
  return {
    url,
    store,
    agents,
    serviceIds: created.value,
    stop: async () => {
      agents.stop();
      await running.stop();
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function serviceName(i: number): string {
  return `svc-${String(i).padStart(3, "0")}`;
}

/** Drains the real node (no containers) and stretches heartbeats (simulated nodes send none). */
async function prepareForSimulatedAgents(store: Store): Promise<void> {
  await retryOnConflict(() =>
    store.update((tx) => {
      const cluster = tx.clusters.all()[0];
      if (cluster === undefined) throw new Error("the swarm has no cluster object");
      tx.update("cluster", {
        ...cluster,
        spec: { ...cluster.spec, dispatcher: { heartbeatPeriodMs: BENCH_HEARTBEAT_PERIOD_MS } },
      });
      for (const node of tx.nodes.all())
        tx.update("node", { ...node, spec: { ...node.spec, availability: "drain" } });
    }),
  );
}

/** Runs `write` again while the node's own loops (its agent's reports) race it. */
async function retryOnConflict<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if ((error as { code?: string }).code !== "version-conflict" || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function runningTasks(store: Store): number {
  return store.view((v) => v.tasks.all().filter((t) => t.status.state === TaskState.Running).length);
}
