/**
 * Scale benchmark: one manager (real store, Raft driver and on-disk WAL in a temp dir) and
 * thousands of simulated agents in one process. Phases, each timed until the agents' reports
 * show the cluster converged:
 *   1. create `services` services totalling `tasks` replicas → every task RUNNING;
 *   2. rolling update of every task (parallelism `update-parallelism` per service, or
 *      `update-in-flight` tasks cluster-wide) → all RUNNING on the new image;
 *   3. scale every service down to half → half the tasks RUNNING, the rest shut down.
 *
 *   npm run bench:scale -- --nodes 5000 --tasks 100000 [--services 100] [--update-parallelism 1000 | --update-in-flight N]
 *                          [--step-latency-ms 5] [--skip-update] [--skip-scale-down] [--json]
 * The last line (with --json) is one JSON object with the numbers.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Manager } from "@shoal/manager";
import { simServiceSpec, withImage, withReplicas } from "../src/service-specs.ts";
import { createClusterObject, registerSimulatedNodes } from "../src/sim-cluster.ts";
import { SimNetwork } from "../src/sim-network.ts";
import { SimulatedAgents } from "../src/simulated-agents.ts";
import { waitUntil } from "../src/wait-for.ts";
import { profiled } from "./phase-profiler.ts";
import { type Census, TaskCensus } from "./task-census.ts";

const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "5000" },
    tasks: { type: "string", default: "100000" },
    services: { type: "string", default: "100" },
    /** Per service, as `service update --update-parallelism` (swarm's meaning). */
    "update-parallelism": { type: "string", default: "1000" },
    /** Instead: tasks replaced at once cluster-wide (parallelism = this / services). */
    "update-in-flight": { type: "string" },
    "step-latency-ms": { type: "string", default: "5" },
    /** How long agents' status reports wait to be batched (StatusReporter batchDelayMs). */
    "report-batch-ms": { type: "string" },
    "timeout-s": { type: "string", default: "300" },
    /** Debounce of the leader's loops (default swarm's 50 ms gap, 1 s max). */
    "loop-gap-ms": { type: "string" },
    "loop-delay-max-ms": { type: "string" },
    "skip-update": { type: "boolean", default: false },
    /** Write a CPU profile of one phase (create | rolling-update | scale-down) to --profile-file. */
    "profile-phase": { type: "string" },
    "profile-file": { type: "string", default: "scale-phase.cpuprofile" },
    "skip-scale-down": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    /** Print where the tasks are every 2 s (scans every task). */
    verbose: { type: "boolean", default: false },
  },
});

const nodes = Number(values.nodes);
const tasks = Number(values.tasks);
const services = Number(values.services);
const replicas = Math.ceil(tasks / services);
const totalTasks = replicas * services;
const parallelism =
  values["update-in-flight"] !== undefined
    ? Math.max(1, Math.round(Number(values["update-in-flight"]) / services))
    : Number(values["update-parallelism"]);
const timeoutMs = Number(values["timeout-s"]) * 1000;
const log = (msg: string) => process.stderr.write(`[bench:scale] ${msg}\n`);

let rssMaxBytes = 0;
const rssTimer = setInterval(() => {
  rssMaxBytes = Math.max(rssMaxBytes, process.memoryUsage().rss);
}, 100);

const dir = await mkdtemp(join(tmpdir(), "shoal-bench-scale-"));
const network = new SimNetwork();
const manager = await Manager.open({
  id: 1,
  initialMembers: [1],
  transport: network.transport(1),
  log: { walDir: join(dir, "raft") },
  driver: { tickMs: 10 },
  timing: loopTiming(),
  onError: (error, component) => {
    const code = (error as { code?: string }).code;
    if (code !== "version-conflict") log(`${component}: ${String(error)}`);
  },
});
manager.start();
const store = manager.state.store;
const agents = new SimulatedAgents({
  stepLatencyMs: Number(values["step-latency-ms"]),
  jitterMs: Number(values["step-latency-ms"]),
  stopLatencyMs: Number(values["step-latency-ms"]),
  reporter:
    values["report-batch-ms"] === undefined ? {} : { batchDelayMs: Number(values["report-batch-ms"]) },
});

await waitUntil(() => manager.runner.isRunning, { what: "leadership", timeoutMs: 10_000 });
await store.update((tx) => createClusterObject(tx));
const nodeIds = await registerSimulatedNodes(store, nodes, {
  nanoCpus: 8_000_000_000,
  memoryBytes: 32 * 1024 ** 3,
});
for (const id of nodeIds) agents.add(id);
agents.attach(store);
log(`${nodes} nodes registered; creating ${services} services x ${replicas} replicas`);

const census = new TaskCensus(store);
/** CPU seconds (user + system, all threads) each phase took: steadier than wall time on a busy machine. */
const cpuSeconds: Record<string, number> = {};

async function phase(
  name: string,
  change: () => Promise<unknown>,
  done: (c: Census) => boolean,
  image?: string,
): Promise<number> {
  const profileFile = values["profile-phase"] === name ? values["profile-file"] : undefined;
  return profiled(profileFile, () => timed(name, change, done, image));
}

async function timed(
  name: string,
  change: () => Promise<unknown>,
  done: (c: Census) => boolean,
  image?: string,
): Promise<number> {
  census.setTargetImage(image);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await change();
  let last = 0;
  await waitUntil(
    () => {
      if (performance.now() - t0 > timeoutMs - 100) log(`stalled: ${JSON.stringify(diagnose())}`);
      const c = census.current;
      if (performance.now() - last > 2_000) {
        last = performance.now();
        log(`${name}: ${JSON.stringify(c)} after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        if (values.verbose) log(`  ${JSON.stringify(diagnose())}`);
      }
      return done(c);
    },
    { what: name, timeoutMs, intervalMs: 50 },
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  cpuSeconds[name] = round((cpu.user + cpu.system) / 1e6);
  log(`${name}: ${seconds.toFixed(2)} s (${cpuSeconds[name]} s of CPU)`);
  return seconds;
}

/** Where the tasks are, for a stalled run. */
function diagnose(): Record<string, unknown> {
  return store.view((v) => {
    const byState: Record<string, number> = {};
    for (const t of v.tasks.all()) {
      const k = `${t.desiredState}/${t.status.state}${t.nodeId === "" ? "/unassigned" : ""}`;
      byState[k] = (byState[k] ?? 0) + 1;
    }
    return {
      byState,
      backlog: agents.reporter.backlog,
      reporter: agents.reporter.stats,
      errors: agents.errors.length,
    };
  });
}

const serviceIds: string[] = [];
const secondsToRunning = await phase(
  "create",
  async () => {
    const ids = await store.update((tx) => {
      const out: string[] = [];
      for (let i = 0; i < services; i++) {
        const spec = simServiceSpec(`svc-${i}`, replicas, {
          update: { parallelism, delayMs: 0, monitorMs: 0 },
        });
        out.push(tx.create("service", { spec }));
      }
      return out;
    });
    serviceIds.push(...ids.value);
  },
  (c) => c.running === totalTasks && c.desired === totalTasks,
);
const rssAfterCreateMb = process.memoryUsage().rss / 1024 ** 2;

/** Changes every service's spec in one transaction; retried while a loop's write races it. */
async function changeEveryService(change: (spec: ReturnType<typeof simServiceSpec>) => typeof spec) {
  for (let attempt = 1; ; attempt++) {
    try {
      await store.update((tx) => {
        for (const id of serviceIds) {
          const s = tx.services.get(id);
          if (s) tx.update("service", { ...s, spec: change(s.spec) });
        }
      });
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== "version-conflict" || attempt >= 100) throw error;
    }
  }
}

let rollingUpdateS: number | undefined;
if (!values["skip-update"]) {
  rollingUpdateS = await phase(
    "rolling-update",
    () => changeEveryService((spec) => withImage(spec, "shoal-sim/app:2")),
    (c) => c.running === totalTasks && c.desired === totalTasks && c.stopping === 0,
    "shoal-sim/app:2",
  );
}

let scaleDownS: number | undefined;
if (!values["skip-scale-down"]) {
  const half = Math.floor(replicas / 2) * services;
  scaleDownS = await phase(
    "scale-down",
    () => changeEveryService((spec) => withReplicas(spec, Math.floor(replicas / 2))),
    (c) => c.running === half && c.desired === half && c.stopping === 0,
  );
}

clearInterval(rssTimer);
rssMaxBytes = Math.max(rssMaxBytes, process.memoryUsage().rss);
const reporter = agents.reporter.stats;
const result = {
  nodes,
  tasks: totalTasks,
  seconds_to_running: round(secondsToRunning),
  tasks_per_s: Math.round(totalTasks / secondsToRunning),
  manager_rss_mb: Math.round(rssAfterCreateMb),
  rss_max_mb: Math.round(rssMaxBytes / 1024 ** 2),
  rolling_update_s: rollingUpdateS === undefined ? null : round(rollingUpdateS),
  update_parallelism_per_service: parallelism,
  scale_down_s: scaleDownS === undefined ? null : round(scaleDownS),
  cpu_s: cpuSeconds,
  raft_index: manager.state.appliedIndex,
  status_transactions: reporter.transactions,
  status_refusals: reporter.refused,
};
census.stop();
agents.stop();
await manager.stop();
await rm(dir, { recursive: true, force: true });
if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
else console.log(result);

function loopTiming(): { gapMs?: number; delayMsMax?: number } {
  const timing: { gapMs?: number; delayMsMax?: number } = {};
  if (values["loop-gap-ms"] !== undefined) timing.gapMs = Number(values["loop-gap-ms"]);
  if (values["loop-delay-max-ms"] !== undefined) timing.delayMsMax = Number(values["loop-delay-max-ms"]);
  return timing;
}

function round(s: number): number {
  return Math.round(s * 100) / 100;
}
