#!/usr/bin/env node
// `npm start`: starts a Shoal node with the dashboard on localhost.
// The node daemon arrives with the "nodes over the network" work; until then this says so plainly.
import { existsSync } from "node:fs";

const daemon = new URL("../apps/cli/src/main.ts", import.meta.url);
if (!existsSync(daemon)) {
  console.error(
    [
      "Shoal cannot start a node yet: the node daemon (apps/cli, `shoal daemon`) is not built.",
      "What exists today is the Raft consensus core (packages/raft): run `npm test` to exercise it,",
      "`npm run test:raft-sim -- --seeds 100` for the simulator and `npm run bench:raft -- --json` for the benchmark.",
    ].join("\n"),
  );
  process.exit(1);
}
