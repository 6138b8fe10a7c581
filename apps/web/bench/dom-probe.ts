/**
 * What the benchmark runs inside the page (an init script, so it sees the first render too): one
 * MutationObserver that notes, with the browser's `Date.now()`, every change of what a user reads
 * — each replica count (`data-testid="replicas-<service>"`, "running/desired") and each task's
 * state (`data-testid="task-state"` with `data-task-id`) — and the `performance.now()` (ms since
 * navigation start) at which the page first showed its data. Nothing polls.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";

/** Plain JavaScript, read as text: a transpiler's helpers must not end up in the page. */
const PROBE_SOURCE = readFileSync(new URL("./dom-probe.browser.js", import.meta.url), "utf8");

export interface ProbeReady {
  /** Services page: every service's count shows `replicas` running. */
  readonly services?: { count: number; replicas: number };
  /** Tasks view: this service's count shows `replicas` running and its task rows are drawn. */
  readonly tasksOf?: { service: string; replicas: number };
}

export interface ProbeRecords {
  readonly readyMs: number | undefined;
  /** [service name, running shown, Date.now()] whenever a count changes. */
  readonly replicas: [string, number, number][];
  /** [task id, state shown, Date.now()] whenever a task's state changes. */
  readonly taskStates: [string, string, number][];
  /** [task id, Date.now()] when a task delta arrived on the socket. */
  readonly taskDeltas: [string, number][];
}

/** Installs the probe for every document this page loads from now on. */
export async function installProbe(page: Page, ready: ProbeReady): Promise<void> {
  await page.addInitScript({ content: `${PROBE_SOURCE}\ninstallBenchProbe(${JSON.stringify(ready)});` });
}

export async function readProbe(page: Page): Promise<ProbeRecords> {
  return page.evaluate(() => {
    const p = (globalThis as unknown as { __benchProbe: ProbeRecords }).__benchProbe;
    return { readyMs: p.readyMs, replicas: p.replicas, taskStates: p.taskStates, taskDeltas: p.taskDeltas };
  });
}
