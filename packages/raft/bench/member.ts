/**
 * One benchmark member as its own OS process: RaftDriver + real WAL in --data-dir + TCP transport
 * + KV state machine + the client endpoint. Prints one JSON line on stdout once serving.
 *
 *   node --import tsx member.ts --id=1 --peers=1=127.0.0.1:7001,2=… --client-port=7101 --data-dir=DIR
 *        [--pipeline] [--tick-ms=100] [--snapshot-every=10000]
 */
import { parseArgs } from "node:util";
import { DEFAULT_CONFIG, type Logger, MemoryStorage, RaftDriver, RawNode } from "../src/index.ts";
import { listenTcpTransport } from "../src/transport/index.ts";
import { openWal } from "../src/wal/index.ts";
import { serveClients } from "./client-server.ts";
import { KvStateMachine } from "./kv-state-machine.ts";

const { values } = parseArgs({
  options: {
    id: { type: "string" },
    peers: { type: "string" },
    "client-port": { type: "string" },
    "data-dir": { type: "string" },
    pipeline: { type: "boolean", default: false },
    "tick-ms": { type: "string", default: "100" },
    // Not etcd's 100,000: MemoryStorage.append copies the whole log, so a long log costs more.
    "snapshot-every": { type: "string", default: "10000" },
  },
});

const id = Number(values.id);
const peers = new Map(
  (values.peers ?? "").split(",").map((p) => {
    const [peerId, address] = p.split("=");
    return [Number(peerId), address as string] as const;
  }),
);
const listen = peers.get(id);
if (!listen || !values["data-dir"] || !values["client-port"]) {
  throw new Error("usage: member.ts --id=N --peers=ID=HOST:PORT,… --client-port=P --data-dir=DIR");
}

const logger: Logger = {
  debug() {},
  info: (msg, fields) => process.stderr.write(`[${id}] ${msg} ${JSON.stringify(fields ?? {})}\n`),
  warn: (msg, fields) => process.stderr.write(`[${id}] WARN ${msg} ${JSON.stringify(fields ?? {})}\n`),
  error: (msg, fields) => process.stderr.write(`[${id}] ERROR ${msg} ${JSON.stringify(fields ?? {})}\n`),
};

const { wal, state } = await openWal(values["data-dir"], { logger });
const storage = new MemoryStorage();
const kv = new KvStateMachine();
if (state.snapshot) {
  storage.applySnapshot(state.snapshot);
  kv.restore(state.snapshot.data);
}
storage.setHardState(state.hardState);
storage.append(state.entries);
const applied = state.snapshot?.metadata.index ?? 0;
const config = {
  ...DEFAULT_CONFIG,
  id,
  storage,
  applied,
  rng: { intn: (n: number) => Math.floor(Math.random() * n) },
  logger,
};
const fresh = state.hardState.term === 0 && state.entries.length === 0 && !state.snapshot;
const node = fresh ? RawNode.bootstrap(config, [...peers.keys()]) : new RawNode(config);

const transport = await listenTcpTransport({ id, listen, logger });
for (const [peerId, address] of peers) if (peerId !== id) transport.addPeer(peerId, address);

const driver = new RaftDriver<void>({
  node,
  storage,
  log: wal,
  transport,
  stateMachine: kv,
  logger,
  applied,
  confState: storage.initialState().confState,
  tickMs: Number(values["tick-ms"]),
  pipelineLeaderSends: values.pipeline,
  snapshotEveryEntries: Number(values["snapshot-every"]),
  onFatal: () => process.exit(1),
});
driver.start();
const server = await serveClients(driver, kv, Number(values["client-port"]));
process.stdout.write(
  `${JSON.stringify({ id, listen: transport.address, clientPort: values["client-port"] })}\n`,
);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  server.close();
  await driver.stop();
  await transport.close();
  await wal.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
