/**
 * npm run bench:raft -- [--json] [--seconds N] [--no-etcd] [--no-pipeline] [--cpu-prof DIR]
 *
 * Runs a 3-member Shoal Raft cluster (3 OS processes on loopback) and, when an `etcd` binary is on
 * PATH, a 3-member etcd cluster, with the same closed-loop workload: (a) 1 client writing
 * sequentially, (b) 64 concurrent clients; 256-byte values; writes go to the leader.
 * The last line of --json output is the summary object.
 */
import { parseArgs } from "node:util";
import { EtcdCluster, etcdBinary } from "./etcd-cluster.ts";
import { type LoadResult, type Put, runLoad } from "./load.ts";
import { ShoalCluster } from "./shoal-cluster.ts";

const CONCURRENT_CLIENTS = 64;
const SECONDS_DEFAULT = 20;

interface Summary {
  seq_writes_per_s: number;
  seq_p50_ms: number;
  conc_writes_per_s: number;
  conc_p50_ms: number;
  conc_p99_ms: number;
}

async function measure(
  name: string,
  writer: (clients: number) => Promise<{ put: Put; close: () => void }>,
  seconds: number,
  log: (line: string) => void,
): Promise<Summary> {
  const run = async (clients: number): Promise<LoadResult> => {
    const w = await writer(clients);
    try {
      await runLoad(w.put, clients, Math.min(1, seconds)); // warm-up
      const r = await runLoad(w.put, clients, seconds);
      log(`${name} ${clients} client(s): ${r.writes_per_s} writes/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms`);
      return r;
    } finally {
      w.close();
    }
  };
  const seq = await run(1);
  const conc = await run(CONCURRENT_CLIENTS);
  return {
    seq_writes_per_s: seq.writes_per_s,
    seq_p50_ms: seq.p50_ms,
    conc_writes_per_s: conc.writes_per_s,
    conc_p50_ms: conc.p50_ms,
    conc_p99_ms: conc.p99_ms,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: "boolean", default: false },
      seconds: { type: "string", default: String(SECONDS_DEFAULT) },
      "no-etcd": { type: "boolean", default: false },
      "no-pipeline": { type: "boolean", default: false },
      "cpu-prof": { type: "string" },
    },
  });
  const seconds = Number(values.seconds);
  if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, got ${values.seconds}`);
  const log = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);

  const memberArgs = values["no-pipeline"] ? [] : ["--pipeline"];
  const nodeFlags = values["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${values["cpu-prof"]}`] : [];
  const shoal = await ShoalCluster.start({ memberArgs, nodeFlags });
  let shoalSummary: Summary;
  try {
    shoalSummary = await measure("shoal", (n) => shoal.leaderWriter(n), seconds, log);
  } finally {
    await shoal.stop();
  }

  let etcdSummary: Summary | null = null;
  const binary = values["no-etcd"] ? undefined : etcdBinary();
  if (binary) {
    const etcd = await EtcdCluster.start(binary);
    try {
      etcdSummary = await measure("etcd", () => etcd.leaderWriter(), seconds, log);
    } finally {
      await etcd.stop();
    }
  } else {
    log("etcd: skipped (no etcd binary on PATH, or --no-etcd)");
  }

  const summary = { ...shoalSummary, etcd: etcdSummary };
  if (etcdSummary) {
    log(
      `shoal/etcd: concurrent ${(shoalSummary.conc_writes_per_s / etcdSummary.conc_writes_per_s).toFixed(2)}x, ` +
        `sequential ${(shoalSummary.seq_writes_per_s / etcdSummary.seq_writes_per_s).toFixed(2)}x, ` +
        `p99 ${shoalSummary.conc_p99_ms} vs ${etcdSummary.conc_p99_ms} ms`,
    );
  }
  if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `bench:raft failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
