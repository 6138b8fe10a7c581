/**
 * A child process for the multi-process tests: one RpcServer + GrpcRaftTransport with a manager
 * certificate. Configuration comes in SHOAL_RPC_NODE (JSON); commands arrive on stdin and events
 * leave on stdout, one JSON object per line.
 *   in:  {"op":"addPeer","id":2,"address":"127.0.0.1:1234"} | {"op":"send","to":2,"from":1,"index":7,"count":3}
 *   out: {"event":"ready","address":"..."} | {"event":"message","from":1,"index":7} | {"event":"unreachable","peer":2}
 *        | {"event":"log","level":"warn","msg":"...","fields":{...}}
 */
import { createInterface } from "node:readline";
import { type Logger, MessageType, message } from "@shoal/raft";
import { GrpcRaftTransport } from "../raft/grpc-raft-transport.ts";
import { RpcServer } from "../server/rpc-server.ts";
import { type TlsMaterial, TlsMaterialSource } from "../tls/tls-material.ts";

interface NodeConfig {
  readonly id: number;
  readonly listen: string;
  readonly tls: TlsMaterial;
  readonly clusterId: string;
}

const config = JSON.parse(process.env.SHOAL_RPC_NODE ?? "") as NodeConfig;
const emit = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);
const log = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
  if (level !== "debug") emit({ event: "log", level, msg, fields });
};
const logger: Logger = { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };

const tls = new TlsMaterialSource(config.tls);
const server = new RpcServer({
  listen: config.listen,
  tls,
  isRemoved: () => false,
  clusterId: config.clusterId,
  logger,
});
const transport = new GrpcRaftTransport({
  id: config.id,
  server,
  tls,
  clusterId: config.clusterId,
  logger,
  limits: { reconnectDelayMinMs: 20, reconnectDelayMaxMs: 200, dialTimeoutMs: 1_000 },
});
transport.onMessage((m) => emit({ event: "message", from: m.from, to: m.to, index: m.index, term: m.term }));
transport.onUnreachable((peer) => emit({ event: "unreachable", peer }));
await server.start();
emit({ event: "ready", address: server.address });

const shutdown = async () => {
  await transport.close();
  await server.stop(100);
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown());

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as { op: string; [key: string]: unknown };
  if (command.op === "addPeer") transport.addPeer(command.id as number, command.address as string);
  if (command.op === "send") {
    const count = (command.count as number | undefined) ?? 1;
    const first = command.index as number;
    transport.send(
      Array.from({ length: count }, (_, k) =>
        message({
          type: MessageType.App,
          from: config.id,
          to: command.to as number,
          term: 1,
          index: first + k,
        }),
      ),
    );
  }
}
await shutdown();
