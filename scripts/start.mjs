#!/usr/bin/env node
// `npm start`: runs one Shoal node in the foreground with its state in ./.data
// (`shoal daemon --data-dir ./.data` with the default addresses). Ctrl-C stops it cleanly.
// Without a Docker Engine the node still runs and says so: tasks cannot run, the rest works.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../apps/cli/src/main.ts", import.meta.url));
if (!existsSync(cli)) {
  console.error("Shoal cannot start: apps/cli is missing from this checkout.");
  process.exit(1);
}
// With the dashboard built (`npm run build:web`), the node is started by its custom server, which
// serves the API and the dashboard on 127.0.0.1:8080 (same options: --data-dir, --api-addr, ...).
const web = fileURLToPath(new URL("../apps/web/server.ts", import.meta.url));
const buildId = fileURLToPath(new URL("../apps/web/.next/BUILD_ID", import.meta.url));
if (!existsSync(buildId) && existsSync(web)) {
  // First start on this checkout: build the dashboard once (about half a minute, offline).
  console.log("Building the dashboard once (npm run build:web)...");
  const built = spawnSync("npm", ["run", "build:web"], { stdio: "inherit" });
  if (built.status !== 0) console.error("The dashboard did not build; starting the node with the API only.");
}
const webBuilt = existsSync(buildId);
const args = webBuilt
  ? ["--import", "tsx", web, "--data-dir", "./.data", ...process.argv.slice(2)]
  : ["--import", "tsx", cli, "daemon", "--data-dir", "./.data", ...process.argv.slice(2)];
const child = spawn(process.execPath, args, { stdio: "inherit" });
// The child gets Ctrl-C from the terminal itself; forward a SIGTERM sent to npm.
process.on("SIGTERM", () => child.kill("SIGTERM"));
process.on("SIGINT", () => {});
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
console.log(
  webBuilt
    ? "Shoal node starting with the dashboard (data in ./.data): open http://127.0.0.1:8080/ (or the --api-addr you gave)."
    : "Shoal node starting (data in ./.data). In another terminal: `npx shoal swarm init`, then `npx shoal node ls` (they talk to its API on 127.0.0.1:8080).",
);
