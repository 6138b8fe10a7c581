#!/usr/bin/env node
// Runs every test Shoal has and ends with one plain line: "N passed, N failed".
//   typecheck (each workspace), lint + format check, every Vitest suite, the dashboard's end-to-end
//   suite (e2e/, builds apps/web first when it is not built), the Raft simulation seeds.
// Environment: SHOAL_SIM_SEEDS (default 2000) — how many simulation seeds to run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: "1",
  NEXT_TELEMETRY_DISABLED: "1",
  FORCE_COLOR: "0",
  NO_COLOR: "1",
};
const results = []; // { name, passed, failed, skipped }

function run(cmd, args, opts = {}) {
  console.log(`\n$ ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, {
    cwd: root,
    env,
    stdio: opts.capture ? ["ignore", "pipe", "inherit"] : "inherit",
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (opts.capture) process.stdout.write(r.stdout ?? "");
  return r;
}

function check(name, cmd, args) {
  const r = run(cmd, args);
  const ok = r.status === 0;
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 });
}

check("typecheck", "npx", ["turbo", "run", "typecheck", "--output-logs=errors-only"]);
check("lint and format", "npx", ["biome", "check", "."]);

// Vitest: its JSON report gives per-test counts; a crash without a report counts as one failure.
function vitest(name, extraArgs = []) {
  const dir = mkdtempSync(join(tmpdir(), "shoal-vitest-"));
  const report = join(dir, "report.json");
  const r = run("npx", [
    "vitest",
    "run",
    ...extraArgs,
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
  ]);
  if (existsSync(report)) {
    const j = JSON.parse(readFileSync(report, "utf8"));
    const failedSuites = (j.testResults ?? []).filter(
      (s) => s.status === "failed" && (s.assertionResults ?? []).length === 0,
    ).length;
    results.push({
      name,
      passed: j.numPassedTests,
      failed: j.numFailedTests + failedSuites,
      skipped: (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0),
    });
  } else {
    results.push({ name, passed: 0, failed: 1, skipped: 0 });
  }
  if (r.status !== 0 && results.at(-1).failed === 0) results.at(-1).failed = 1;
  rmSync(dir, { recursive: true, force: true });
}
vitest("vitest");

// The dashboard's end-to-end suite: real nodes and Docker, Debian's Chromium, the built web app.
if (!existsSync(join(root, "apps/web/.next/BUILD_ID"))) check("build:web", "npm", ["run", "build:web"]);
vitest("dashboard e2e", ["--config", "e2e/vitest.config.ts"]);
// Its four scenarios share one real cluster, where timing under load can decide where tasks land
// (a worker briefly late with its heartbeat loses its tasks, and swarm does not move them back).
// A failed run is said plainly and the whole suite runs once more on a new cluster; the second
// run's result is the one counted. A failure twice in a row fails CI.
if (results.at(-1).failed > 0) {
  const first = results.pop();
  console.log(
    `\ndashboard e2e: ${first.failed} failed on its first cluster; running the suite once more on a new one`,
  );
  vitest("dashboard e2e (second run after a failed first)", ["--config", "e2e/vitest.config.ts"]);
}

// Raft simulation: each seed is one test case.
if (existsSync(join(root, "packages/raft/sim/cli.ts"))) {
  const seeds = process.env.SHOAL_SIM_SEEDS ?? "2000";
  const r = run("npx", ["tsx", "packages/raft/sim/cli.ts", "--seeds", seeds, "--json"], { capture: true });
  const last = (r.stdout ?? "")
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .at(-1);
  let summary = null;
  try {
    summary = last ? JSON.parse(last) : null;
  } catch {}
  if (summary && typeof summary.seeds === "number") {
    const failed = summary.violations + (summary.failedSeeds ?? 0) + summary.unknown;
    results.push({
      name: "raft simulation seeds",
      passed: summary.seeds - failed,
      failed: r.status !== 0 && failed === 0 ? 1 : failed,
      skipped: 0,
    });
  } else {
    results.push({ name: "raft simulation seeds", passed: 0, failed: 1, skipped: 0 });
  }
}

const total = results.reduce(
  (t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log("\nSummary:");
for (const r of results)
  console.log(
    `  ${r.name}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ""}`,
  );
console.log(
  `${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`,
);
process.exit(total.failed === 0 ? 0 : 1);
