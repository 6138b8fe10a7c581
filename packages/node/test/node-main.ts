/**
 * A node process for the tests and benchmarks of this package: `startNode` with the flags
 * `shoal daemon` takes (--data-dir, --listen-addr, --advertise-addr, --api-addr, --docker-host,
 * --hostname, --log-level), stopped cleanly on SIGINT/SIGTERM. It keeps these tests independent of
 * the CLI. With --api-addr it serves the HTTP API (no dashboard; fast password hashes). The tests
 * drive it over its driver socket (driver-socket-server.ts).
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { jsonLogger, type LogLevel } from "../src/json-logger.ts";
import { startNode } from "../src/start-node.ts";
import { DRIVER_SOCKET, DriverSocketServer } from "./driver-socket-server.ts";

const { values } = parseArgs({
  options: {
    "data-dir": { type: "string" },
    "listen-addr": { type: "string" },
    "advertise-addr": { type: "string" },
    "api-addr": { type: "string" },
    "docker-host": { type: "string" },
    "mesh-listen-host": { type: "string" },
    hostname: { type: "string" },
    "log-level": { type: "string", default: "info" },
  },
});
const TEST_BCRYPT_COST = 4;
const dataDir = values["data-dir"];
if (!dataDir) throw new Error("--data-dir is required");
const running = await startNode({
  dataDir,
  logger: jsonLogger({ level: values["log-level"] as LogLevel }),
  ...(values["listen-addr"] ? { listenAddr: values["listen-addr"] } : {}),
  ...(values["advertise-addr"] ? { advertiseAddr: values["advertise-addr"] } : {}),
  ...(values["api-addr"] ? { apiAddr: values["api-addr"], http: { bcryptCost: TEST_BCRYPT_COST } } : {}),
  ...(values["docker-host"] ? { dockerHost: values["docker-host"] } : {}),
  ...(values.hostname ? { hostname: values.hostname } : {}),
  ...(values["mesh-listen-host"] ? { meshListenHost: values["mesh-listen-host"] } : {}),
});
const driver = await DriverSocketServer.listen(running.node, join(dataDir, DRIVER_SOCKET));
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  Promise.all([driver.close(), running.stop()]).then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
