/** `shoal daemon`: runs one node in the foreground; Ctrl-C (SIGINT) or SIGTERM stops it cleanly. */
import { parseArgs } from "node:util";
import {
  checkDockerEngine,
  DEFAULT_API_ADDR,
  DEFAULT_LISTEN_ADDR,
  jsonLogger,
  type LogLevel,
  startNode,
} from "@shoal/node";
import { z } from "zod";
import { dataDirFrom } from "../admin-options.ts";

const Options = z.object({
  "data-dir": z.string().optional(),
  "listen-addr": z.string().default(DEFAULT_LISTEN_ADDR),
  "advertise-addr": z.string().optional(),
  "api-addr": z.string().default(DEFAULT_API_ADDR),
  "docker-host": z.string().optional(),
  hostname: z.string().optional(),
  "log-level": z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export async function daemonCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      "data-dir": { type: "string" },
      "listen-addr": { type: "string" },
      "advertise-addr": { type: "string" },
      "api-addr": { type: "string" },
      "docker-host": { type: "string" },
      hostname: { type: "string" },
      "log-level": { type: "string" },
    },
  });
  const o = Options.parse(values);
  const dataDir = dataDirFrom(o["data-dir"]);
  const logger = jsonLogger({ level: o["log-level"] as LogLevel });
  const running = await startNode({
    dataDir,
    listenAddr: o["listen-addr"],
    apiAddr: o["api-addr"],
    logger,
    ...(o["advertise-addr"] ? { advertiseAddr: o["advertise-addr"] } : {}),
    ...(o["docker-host"] ? { dockerHost: o["docker-host"] } : {}),
    ...(o.hostname ? { hostname: o.hostname } : {}),
  });
  const info = running.node.info();
  process.stdout.write(
    `shoal daemon: data dir ${dataDir}, node-to-node ${o["listen-addr"]}, admin socket ${running.node.layout.adminSocket}\n` +
      (info.swarm === "active"
        ? `resumed as ${info.role} ${info.nodeId}\n`
        : "in no swarm yet: run `shoal swarm init` or `shoal swarm join` (with the same --data-dir)\n"),
  );
  const engine = await checkDockerEngine(o["docker-host"]);
  process.stdout.write(
    engine.available
      ? `Docker Engine: ${engine.address}\n`
      : `Docker Engine: none answers at ${engine.address}; tasks cannot run on this node, everything else works\n`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`shoal daemon: ${signal}, stopping\n`);
    running.stop().then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`shoal daemon: stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}
