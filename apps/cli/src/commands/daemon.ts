/**
 * `shoal daemon`: runs one node in the foreground, serving the HTTP API (tRPC, socket.io) on
 * --api-addr; Ctrl-C (SIGINT) or SIGTERM stops it cleanly.
 */
import { z } from "zod";
import { defineCommand } from "../command.ts";
import { dataDirFrom } from "../data-dir.ts";

const USAGE = `usage: shoal daemon [OPTIONS]

  --data-dir DIR          state (default: SHOAL_DATA_DIR, else ./.data)
  --listen-addr A         node-to-node address (default 0.0.0.0:2377)
  --advertise-addr A      address other nodes reach this one on
  --api-addr A            HTTP API and dashboard (default 127.0.0.1:8080)
  --docker-host H         Docker Engine (default DOCKER_HOST, else the local socket)
  --hostname H            this node's hostname
  --log-level L           debug | info | warn | error (default info)`;

export const command = defineCommand({
  usage: USAGE,
  summary: "run a node in the foreground",
  options: {
    "data-dir": { type: "string" },
    "listen-addr": { type: "string" },
    "advertise-addr": { type: "string" },
    "api-addr": { type: "string" },
    "docker-host": { type: "string" },
    hostname: { type: "string" },
    "log-level": { type: "string" },
  },
  schema: z.object({
    "data-dir": z.string().optional(),
    "listen-addr": z.string().optional(),
    "advertise-addr": z.string().optional(),
    "api-addr": z.string().optional(),
    "docker-host": z.string().optional(),
    hostname: z.string().optional(),
    "log-level": z.enum(["debug", "info", "warn", "error"]).default("info"),
    args: z.array(z.string()).max(0, "shoal daemon takes no arguments"),
  }),
  run: async (o) => {
    const { checkDockerEngine, DEFAULT_API_ADDR, DEFAULT_LISTEN_ADDR, jsonLogger, startNode } = await import(
      "@shoal/node"
    );
    const dataDir = dataDirFrom(o["data-dir"]);
    const listenAddr = o["listen-addr"] ?? DEFAULT_LISTEN_ADDR;
    const running = await startNode({
      dataDir,
      listenAddr,
      apiAddr: o["api-addr"] ?? DEFAULT_API_ADDR,
      logger: jsonLogger({ level: o["log-level"] }),
      http: process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {},
      ...(o["advertise-addr"] ? { advertiseAddr: o["advertise-addr"] } : {}),
      ...(o["docker-host"] ? { dockerHost: o["docker-host"] } : {}),
      ...(o.hostname ? { hostname: o.hostname } : {}),
    });
    const info = running.node.info();
    const api = `http://${running.apiAddr}`;
    process.stdout.write(
      `shoal daemon: data dir ${dataDir}, node-to-node ${listenAddr}, API ${api}\n` +
        (info.swarm === "active"
          ? `resumed as ${info.role} ${info.nodeId}\n`
          : `in no swarm yet: run \`shoal -H ${api} swarm init\` or \`shoal -H ${api} swarm join\`\n`),
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
    await new Promise<never>(() => {});
  },
});
