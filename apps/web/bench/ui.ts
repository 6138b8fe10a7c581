/**
 * Dashboard benchmark at scale: a real manager with the real dashboard server (production build)
 * and simulated agents (no containers) run `services` services totalling `tasks` RUNNING tasks.
 * Chromium opens the services page and one service's tasks view, each a fresh load; then running
 * tasks fail at `rate` a second for `seconds`, and each failure is timed from its store commit to
 * the DOM showing it (the services page's count, the tasks view's state; both clocks are this
 * machine's wall clock, `Date.now()` in Node and in the page).
 *
 *   npm run bench:ui -- [--tasks 10000] [--services 100] [--rate 200] [--seconds 10] [--json]
 * Progress goes to stderr; with --json the last stdout line is
 * {"first_render_ms","delta_to_dom_p50_ms","delta_to_dom_p99_ms","browser_heap_mb", ...}.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, logIn, newContext } from "../../../e2e/support/browser.ts";
import { BENCH_ADMIN, ensureWebBuild, serviceName, startBenchCluster } from "./bench-cluster.ts";
import { domLatencies, percentile } from "./dom-latency.ts";
import { installProbe, type ProbeRecords, readProbe } from "./dom-probe.ts";
import { FailureRecorder, failTasksSteadily } from "./task-failures.ts";

const { values } = parseArgs({
  options: {
    tasks: { type: "string", default: "10000" },
    services: { type: "string", default: "100" },
    "simulated-nodes": { type: "string", default: "50" },
    rate: { type: "string", default: "200" },
    seconds: { type: "string", default: "10" },
    json: { type: "boolean", default: false },
    /** Write a CPU profile of the services page during the changes to this file (.cpuprofile). */
    profile: { type: "string" },
  },
});
const services = positive("services");
const replicas = Math.ceil(positive("tasks") / services);
const rate = positive("rate");
const durationMs = positive("seconds") * 1000;
/** How long after the last change the DOM may take before a change counts as never shown. */
const SETTLE_MS = 5_000;
const FIRST_RENDER_WAIT_MS = Number(process.env.BENCH_UI_RENDER_WAIT_MS ?? 120_000);
const log = (msg: string) => process.stderr.write(`[bench:ui] ${msg}\n`);

function positive(name: keyof typeof values): number {
  const n = Number(values[name]);
  if (!(Number.isFinite(n) && n > 0))
    throw new Error(`--${name} must be a positive number, got ${values[name]}`);
  return n;
}

ensureWebBuild(log);
const t0 = performance.now();
const cluster = await startBenchCluster({
  services,
  replicas,
  simulatedNodes: positive("simulated-nodes"),
  log,
});
log(`${services * replicas} tasks RUNNING after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
let browser: Browser | undefined;
try {
  browser = await launchBrowser();
  // Each page in its own window (a tab behind another gets few animation frames), each logged in.
  const loggedIn = async () => {
    const page = await (await newContext(browser!, cluster.url)).newPage();
    await logIn(page, BENCH_ADMIN.name, BENCH_ADMIN.password);
    return page;
  };
  const tasksService = serviceName(0);
  const servicesPage = await openMeasured(
    await loggedIn(),
    "/services",
    { services: { count: services, replicas } },
    "services page",
  );
  const tasksPage = await openMeasured(
    await loggedIn(),
    `/services/${cluster.serviceIds[0]}`,
    { tasksOf: { service: tasksService, replicas } },
    `tasks of ${tasksService}`,
  );

  const recorder = new FailureRecorder(cluster.store);
  log(`failing ${rate} tasks/s for ${durationMs / 1000} s`);
  const profiler = values.profile ? await startProfile(servicesPage.page) : undefined;
  const failed = await failTasksSteadily(cluster.store, cluster.agents, cluster.serviceIds, rate, durationMs);
  if (profiler && values.profile) writeFileSync(values.profile, JSON.stringify(await profiler()));
  await waitForCommits(recorder, failed);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  recorder.stop();

  const names = new Map(cluster.serviceIds.map((id, i) => [id, serviceName(i)]));
  const onServices = domLatencies(recorder.committed, await readProbe(servicesPage.page), names, "count");
  const ownFailures = recorder.committed.filter((c) => c.serviceId === cluster.serviceIds[0]);
  const onTasks = domLatencies(ownFailures, await readProbe(tasksPage.page), names, "task-state");
  const all = [...onServices.latencies, ...onTasks.latencies].sort((a, b) => a - b);
  const arrivals = onServices.arrivals;
  log(
    `commit → socket on the services page: p50 ${round(percentile(arrivals, 0.5))} ms, p99 ${round(percentile(arrivals, 0.99))} ms`,
  );
  const heapMb = Math.max(await heapUsedMb(servicesPage.page), await heapUsedMb(tasksPage.page));
  const result = {
    first_render_ms: Math.round(Math.max(servicesPage.firstRenderMs, tasksPage.firstRenderMs)),
    delta_to_dom_p50_ms: round(percentile(all, 0.5)),
    delta_to_dom_p99_ms: round(percentile(all, 0.99)),
    browser_heap_mb: round(heapMb),
    services_first_render_ms: Math.round(servicesPage.firstRenderMs),
    tasks_first_render_ms: Math.round(tasksPage.firstRenderMs),
    services_delta_p99_ms: round(percentile(onServices.latencies, 0.99)),
    tasks_delta_p99_ms: round(percentile(onTasks.latencies, 0.99)),
    changes: failed,
    changes_never_shown: onServices.missing + onTasks.missing,
    tasks: services * replicas,
    services,
  };
  if (result.changes_never_shown > 0)
    log(`${result.changes_never_shown} changes never reached the DOM within ${SETTLE_MS} ms`);
  log(JSON.stringify(result));
  if (values.json) console.log(JSON.stringify(result));
} catch (error) {
  log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await browser?.close();
  await cluster.stop();
}
// Next.js and the node leave handles open; the numbers are out.
process.exit(process.exitCode ?? 0);

async function openMeasured(
  page: Page,
  path: string,
  ready: Parameters<typeof installProbe>[1],
  what: string,
): Promise<{ page: Page; firstRenderMs: number }> {
  await installProbe(page, ready);
  await page.goto(path);
  await page
    .waitForFunction(
      () => (globalThis as unknown as { __benchProbe: ProbeRecords }).__benchProbe.readyMs !== undefined,
      undefined,
      { timeout: FIRST_RENDER_WAIT_MS, polling: 500 },
    )
    .catch(async (error: unknown) => {
      const shown = await readProbe(page).catch(() => undefined);
      const last = shown?.replicas.slice(-3);
      const text = (await page.textContent("body").catch(() => ""))?.slice(0, 300);
      throw new Error(
        `${what} did not show its data within ${FIRST_RENDER_WAIT_MS} ms at ${page.url()} (last counts shown: ${JSON.stringify(last)}; page: ${text}): ${String(error)}`,
      );
    });
  const firstRenderMs = (await readProbe(page)).readyMs ?? Number.NaN;
  log(`${what}: first render ${firstRenderMs.toFixed(0)} ms`);
  return { page, firstRenderMs };
}

async function waitForCommits(recorder: FailureRecorder, count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (recorder.committed.length < count && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  if (recorder.committed.length < count)
    throw new Error(`only ${recorder.committed.length} of ${count} failures reached the store in 30 s`);
}

/** Starts Chromium's CPU profiler in `page`; the returned function stops it and gives the profile. */
async function startProfile(page: Page): Promise<() => Promise<unknown>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.start");
  return async () => {
    const { profile } = await cdp.send("Profiler.stop");
    await cdp.detach();
    return profile;
  };
}

async function heapUsedMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  await cdp.detach();
  return usedSize / 1024 ** 2;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
