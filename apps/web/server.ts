/**
 * The dashboard's custom server: starts a Shoal node whose HTTP server (API, socket.io) hands
 * every other path to Next.js, all on one port. `npm run build:web` first, then
 * `npm start` (or `tsx apps/web/server.ts`). Options: --data-dir, --api-addr, --listen-addr,
 * --advertise-addr, --hostname (or SHOAL_DATA_DIR, SHOAL_API_ADDR, ...); --dev runs `next dev`.
 * No top-level await (kept runnable as CommonJS too).
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkDockerEngine, jsonLogger, startNode } from "@shoal/node";
import createNextServer from "next";

function option(name: string, env: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i > 0 && process.argv[i + 1] !== undefined) return process.argv[i + 1];
  return process.env[env] || undefined;
}

async function main(): Promise<void> {
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  const dev = process.argv.includes("--dev");
  if (!dev) Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV ?? "production" });
  const app = (createNextServer as unknown as typeof createNextServer.default)({
    dev,
    dir: fileURLToPath(new URL(".", import.meta.url)),
  });
  const handle = app.getRequestHandler();
  await app.prepare();
  const logger = jsonLogger({ level: "info" });
  const listenAddr = option("listen-addr", "SHOAL_LISTEN_ADDR");
  const advertiseAddr = option("advertise-addr", "SHOAL_ADVERTISE_ADDR");
  const hostname = option("hostname", "SHOAL_HOSTNAME");
  const running = await startNode({
    dataDir: resolve(option("data-dir", "SHOAL_DATA_DIR") ?? "./.data"),
    apiAddr: option("api-addr", "SHOAL_API_ADDR") ?? "127.0.0.1:8080",
    ...(listenAddr ? { listenAddr } : {}),
    ...(advertiseAddr ? { advertiseAddr } : {}),
    ...(hostname ? { hostname } : {}),
    logger,
    http: {
      uiHandler: (req, res) => void handle(req, res),
      ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
    },
  });
  console.log(`Shoal dashboard: http://${running.apiAddr}/`);
  const engine = await checkDockerEngine(process.env.DOCKER_HOST);
  console.log(
    engine.available
      ? `Docker Engine: ${engine.address}`
      : `Docker Engine: none answers at ${engine.address}; tasks cannot run on this node, everything else works`,
  );
  const stop = () => {
    void running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(`Shoal could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
