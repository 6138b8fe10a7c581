/**
 * npm run bench:raft -- [--json] [--seconds N] [--rounds R] [--no-etcd] [--no-pipeline] [--cpu-prof DIR]
 *
 * Runs a 3-member Shoal Raft cluster (3 OS processes on loopback) and, when an `etcd` binary is on
 * PATH, a 3-member etcd cluster, with the same closed-loop workload: (a) 1 client writing
 * sequentially, (b) 64 concurrent clients; 256-byte values; writes go to the leader; N seconds per
 * system per workload. Both clusters run side by side and the N seconds are split into R
 * alternating rounds, so noise from a shared machine hits both alike.
 * The last line of --json output is the summary object.
 */
import { parseArgs } from "node:util";
import { EtcdCluster, etcdBinary } from "./etcd-cluster.ts";
import { type LoadResult, type Put, type Round, runRound, summarize } from "./load.ts";
import { ShoalCluster } from "./shoal-cluster.ts";

const CONCURRENT_CLIENTS = 64;
const SECONDS_DEFAULT = 20;
const ROUNDS_DEFAULT = 10;
const WARM_UP_SECONDS_MAX = 1;

interface Summary {
  seq_writes_per_s: number;
  seq_p50_ms: number;
  conc_writes_per_s: number;
  conc_p50_ms: number;
  conc_p99_ms: number;
}

interface System {
  readonly name: string;
  readonly writer: (clients: number) => Promise<{ put: Put; close: () => void }>;
}

/** One workload on every system: warm-up, then alternating rounds. */
async function measure(
  systems: readonly System[],
  clients: number,
  seconds: number,
  rounds: number,
  log: (line: string) => void,
): Promise<LoadResult[]> {
  const writers = await Promise.all(systems.map((s) => s.writer(clients)));
  try {
    const perSystem: Round[][] = systems.map(() => []);
    for (const w of writers) await runRound(w.put, clients, Math.min(WARM_UP_SECONDS_MAX, seconds));
    for (let r = 0; r < rounds; r++) {
      const order = systems.map((_, i) => i);
      if (r % 2 === 1) order.reverse();
      for (const i of order)
        perSystem[i]?.push(await runRound((writers[i] as { put: Put }).put, clients, seconds / rounds));
    }
    return perSystem.map((rs, i) => {
      const result = summarize(rs);
      log(
        `${systems[i]?.name} ${clients} client(s): ${result.writes_per_s} writes/s, ` +
          `p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms (${result.writes} writes, ${result.errors} errors)`,
      );
      return result;
    });
  } finally {
    for (const w of writers) w.close();
  }
}

function toSummary(seq: LoadResult, conc: LoadResult): Summary {
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
      rounds: { type: "string", default: String(ROUNDS_DEFAULT) },
      "no-etcd": { type: "boolean", default: false },
      "no-pipeline": { type: "boolean", default: false },
      "cpu-prof": { type: "string" },
    },
  });
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, got ${values.seconds}`);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer`);
  const log = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);

  const binary = values["no-etcd"] ? undefined : etcdBinary();
  if (!binary) log("etcd: skipped (no etcd binary on PATH, or --no-etcd)");
  const memberArgs = values["no-pipeline"] ? [] : ["--pipeline"];
  const nodeFlags = values["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${values["cpu-prof"]}`] : [];
  const shoal = await ShoalCluster.start({ memberArgs, nodeFlags });
  let etcd: EtcdCluster | undefined;
  try {
    etcd = binary ? await EtcdCluster.start(binary) : undefined;
    const systems: System[] = [{ name: "shoal", writer: (n) => shoal.leaderWriter(n) }];
    if (etcd) systems.push({ name: "etcd", writer: () => (etcd as EtcdCluster).leaderWriter() });
    const seq = await measure(systems, 1, seconds, rounds, log);
    const conc = await measure(systems, CONCURRENT_CLIENTS, seconds, rounds, log);
    const shoalSummary = toSummary(seq[0] as LoadResult, conc[0] as LoadResult);
    const etcdSummary = etcd ? toSummary(seq[1] as LoadResult, conc[1] as LoadResult) : null;
    if (etcdSummary) {
      const ratio = (a: number, b: number) => (a / b).toFixed(2);
      log(
        `shoal/etcd: concurrent ${ratio(shoalSummary.conc_writes_per_s, etcdSummary.conc_writes_per_s)}x, ` +
          `sequential ${ratio(shoalSummary.seq_writes_per_s, etcdSummary.seq_writes_per_s)}x, ` +
          `concurrent p99 ${shoalSummary.conc_p99_ms} vs ${etcdSummary.conc_p99_ms} ms`,
      );
    }
    if (values.json) process.stdout.write(`${JSON.stringify({ ...shoalSummary, etcd: etcdSummary })}\n`);
  } finally {
    await Promise.all([shoal.stop(), etcd?.stop()]);
  }
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
