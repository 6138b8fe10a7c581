/**
 * Measures applying one transaction that creates N tasks (default 100,000), and each phase of it.
 * Run: npx tsx packages/store/bench/bulk-apply.ts [taskCount]
 */
import { applyTransaction } from "../src/apply-transaction.ts";
import { seededRandomBytes } from "../src/objects/ids.ts";
import { Store } from "../src/store.ts";
import { Tables } from "../src/tables/tables.ts";
import { makeService, makeTask } from "../src/testing/fixtures.ts";
import { LocalLog } from "../src/testing/local-log.ts";
import { decodeTransaction, TransactionEncoder } from "../src/transaction-codec.ts";

const taskCount = Number(process.argv[2] ?? 100_000);
const rounds = 5;

function encodeTasks(store: Store): Uint8Array {
  const serviceId = store.newId();
  const spec = makeService(serviceId, "web").spec.taskTemplate;
  const encoder = new TransactionEncoder(1_000);
  for (let slot = 1; slot <= taskCount; slot++) {
    const task = {
      ...makeTask(store.newId(), serviceId, slot, spec),
      version: 0,
      createdAtMs: 0,
      updatedAtMs: 0,
    };
    encoder.tryAdd({ op: "create", kind: "task", object: task });
  }
  return encoder.finish();
}

function time<T>(fn: () => T): [T, number] {
  const started = performance.now();
  const value = fn();
  return [value, performance.now() - started];
}

const results: Record<string, number[]> = {
  encodeMs: [],
  decodeMs: [],
  applyToTablesMs: [],
  applyCommittedMs: [],
  baselineJsonParseMs: [],
  batchEndToEndMs: [],
  snapshotMs: [],
  restoreValidatedMs: [],
  restoreUnvalidatedMs: [],
};
for (let round = 0; round < rounds; round++) {
  const store = new Store({ proposer: new LocalLog(), randomBytes: seededRandomBytes(round + 1) });
  const [data, encodeMs] = time(() => encodeTasks(store));
  const [tx, decodeMs] = time(() => decodeTransaction(data));
  const [, applyToTablesMs] = time(() => applyTransaction(new Tables(), tx, 1));
  const [, applyCommittedMs] = time(() => store.applyCommitted(1, data));
  results.encodeMs?.push(encodeMs);
  results.decodeMs?.push(decodeMs);
  results.applyToTablesMs?.push(applyToTablesMs);
  results.applyCommittedMs?.push(applyCommittedMs);
  // Baseline on the same machine at the same moment: parsing the same tasks as plain JSON.
  const plain = JSON.stringify(store.view((v) => v.tasks.all()));
  results.baselineJsonParseMs?.push(time(() => JSON.parse(plain))[1]);
  results.batchEndToEndMs?.push(await timeBatch(round));
  const [snapshot, snapshotMs] = time(() => store.snapshot());
  results.snapshotMs?.push(snapshotMs);
  results.restoreValidatedMs?.push(time(() => new Store({}).restore(snapshot))[1]);
  results.restoreUnvalidatedMs?.push(time(() => new Store({ validateObjects: false }).restore(snapshot))[1]);
  if (round === 0) console.log(`snapshot: ${(snapshot.length / 1e6).toFixed(2)} MB`);
  if (round === 0) console.log(`transaction: ${taskCount} tasks, ${(data.length / 1e6).toFixed(2)} MB`);
}
/** batch(): validate, encode, split, propose and apply through an in-memory log. */
async function timeBatch(round: number): Promise<number> {
  const log = new LocalLog();
  const store = log.attach(new Store({ proposer: log, randomBytes: seededRandomBytes(round + 100) }));
  const serviceId = store.newId();
  const spec = makeService(serviceId, "web").spec.taskTemplate;
  const started = performance.now();
  const result = await store.batch((tx) => {
    for (let slot = 1; slot <= taskCount; slot++)
      tx.create("task", makeTask(store.newId(), serviceId, slot, spec));
  });
  if (result.failures.length > 0) throw result.failures[0]?.error;
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const summary = Object.fromEntries(Object.entries(results).map(([k, xs]) => [k, Math.round(median(xs))]));
const ratio = (summary.applyCommittedMs ?? 0) / Math.max(1, summary.baselineJsonParseMs ?? 1);
console.log(
  JSON.stringify({
    bench: "store-bulk-apply",
    taskCount,
    rounds,
    medians: summary,
    applyVsJsonParse: +ratio.toFixed(2),
  }),
);
