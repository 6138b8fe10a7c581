/**
 * Log streaming end to end on one real node: the agent (DockerExecutor on DOCKER_HOST, image
 * shoal-test/busybox:1) serves the leader's log broker over the dispatcher's gRPC streams (mutual
 * TLS), and `services.logs` / `tasks.logs` / `stacks.logs` stream over the node's HTTP server as
 * tRPC subscriptions (SSE), read here with fetch. Covers tail, follow receiving new lines, since,
 * timestamps and the `name.slot.id@node` prefix. Skips (saying why) when no engine answers.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SERVICE_ID_LABEL } from "@shoal/agent";
import { docker, probeEngine } from "@shoal/agent/testing";
import type { LogBatch, LogEvent, LogLineEvent } from "@shoal/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SILENT_LOGGER } from "../src/json-logger.ts";
import { type RunningNode, startNode } from "../src/start-node.ts";
import { freePort } from "./daemon-process.ts";

const probe = await probeEngine();
const RUN = randomBytes(3).toString("hex");
const STACK = `st${RUN}`;
const WEB = `${STACK}_web`;
const API = `${STACK}_api`;
const HOSTNAME = `logs-${RUN}`;
const IMAGE = "shoal-test/busybox:1";
/** Five lines and one on stderr at once, then a tick every 200 ms. */
const WEB_SCRIPT =
  "for i in 1 2 3 4 5; do echo line-$i; done; echo oops-1 >&2; i=1; while true; do sleep 0.2; echo tick-$i; i=$((i+1)); done";
const API_SCRIPT = "i=1; while true; do echo api-$i; i=$((i+1)); sleep 0.3; done";

let root: string;
let running: RunningNode;
let base: string;
let cookie = "";
const serviceIds: string[] = [];

async function call(path: string, input: unknown): Promise<unknown> {
  const res = await fetch(`${base}/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { result?: { data: unknown }; error?: { message: string } };
  if (body.error) throw new Error(`${path}: ${body.error.message}`);
  if (!cookie) cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return body.result?.data;
}

interface Subscription {
  readonly events: LogEvent[];
  /** The server ended the subscription (no follow: every node finished). */
  readonly completed: boolean;
  readonly error?: string;
}

/** Reads a tRPC SSE subscription until it completes, `until` holds, or `timeoutMs` passes. */
async function subscribe(
  path: string,
  input: unknown,
  options: { until?: (events: LogEvent[]) => boolean; timeoutMs?: number } = {},
): Promise<Subscription> {
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), options.timeoutMs ?? 15_000);
  const events: LogEvent[] = [];
  const url = `${base}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`;
  try {
    const res = await fetch(url, { headers: { cookie, accept: "text/event-stream" }, signal: stop.signal });
    const reader = res.body?.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = "";
    for (;;) {
      const chunk = await reader?.read().catch(() => undefined);
      if (!chunk || chunk.done) return { events, completed: false };
      buffered += chunk.value;
      let end = buffered.indexOf("\n\n");
      while (end >= 0) {
        const raw = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        end = buffered.indexOf("\n\n");
        const event = /^event: (.*)$/m.exec(raw)?.[1] ?? "message";
        const data = /^data: (.*)$/m.exec(raw)?.[1] ?? "";
        if (event === "return") return { events, completed: true };
        if (event === "serialized-error") return { events, completed: false, error: data };
        if (event !== "message" || data === "") continue;
        events.push(...(JSON.parse(data) as LogBatch).events);
        if (options.until?.(events)) return { events, completed: false };
      }
    }
  } finally {
    clearTimeout(timer);
    stop.abort();
  }
}

const lines = (events: LogEvent[]) => events.filter((e): e is LogLineEvent => e.type === "line");
const texts = (events: LogEvent[]) => lines(events).map((e) => e.line);

async function createService(name: string, script: string): Promise<void> {
  const created = (await call("services.create", {
    spec: {
      name,
      labels: { "com.docker.stack.namespace": STACK },
      taskTemplate: { containerSpec: { image: IMAGE, command: ["sh", "-c", script] } },
    },
  })) as { id: string };
  serviceIds.push(created.id);
}

describe.skipIf(!probe.ok)("log streaming through the node's API", () => {
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "shoal-logs-"));
    running = await startNode({
      dataDir: join(root, "n1"),
      listenAddr: `127.0.0.1:${await freePort()}`,
      apiAddr: "127.0.0.1:0",
      hostname: HOSTNAME,
      logger: SILENT_LOGGER,
      http: { bcryptCost: 4 },
    });
    base = `http://${running.apiAddr}`;
    await call("swarm.init", { admin: { name: "admin", password: "correct horse" } });
    await createService(WEB, WEB_SCRIPT);
    await createService(API, API_SCRIPT);
    // Until the task runs and the agent's log stream is up, the answer is a warning or nothing.
    const deadline = Date.now() + 45_000;
    for (;;) {
      const { events } = await subscribe("services.logs", { service: WEB, tail: "all" });
      if (texts(events).includes("tick-2")) break;
      if (Date.now() > deadline) throw new Error(`the service's logs never came: ${JSON.stringify(events)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }, 60_000);

  afterAll(async () => {
    for (const id of serviceIds) await call("services.remove", { service: id }).catch(() => undefined);
    await running?.stop();
    for (const id of serviceIds) {
      // One label per query: docker ANDs the labels of one filter.
      const left = await docker.listContainers({
        all: true,
        filters: JSON.stringify({ label: [`${SERVICE_ID_LABEL}=${id}`] }),
      });
      await Promise.all(
        left.map((c) =>
          docker
            .getContainer(c.Id)
            .remove({ force: true })
            .catch(() => undefined),
        ),
      );
    }
    if (root) await rm(root, { recursive: true, force: true });
  }, 60_000);

  it("without follow: every line from the start in order, stdout and stderr, prefixed name.slot.id@node; then completes", async () => {
    const { events, completed } = await subscribe("services.logs", { service: WEB });
    expect(completed).toBe(true);
    // stdout and stderr reach the engine's log on their own pipes: oops-1 may come first.
    expect(
      texts(events)
        .slice(0, 6)
        .filter((t) => t.startsWith("line-")),
    ).toEqual(["line-1", "line-2", "line-3", "line-4", "line-5"]);
    const first = lines(events).find((e) => e.line === "line-1") as LogLineEvent;
    expect(first.context).toBe(`${WEB}.1.${first.taskId.slice(0, 12)}@${HOSTNAME}`);
    expect(first.text).toBe(`${first.context}    | line-1`);
    expect(lines(events).find((e) => e.line === "oops-1")?.stream).toBe("stderr");
  });

  it("tail: the last N lines only", async () => {
    const { events, completed } = await subscribe("services.logs", { service: WEB, tail: 2 });
    expect(completed).toBe(true);
    expect(texts(events)).toHaveLength(2);
    expect(texts(events).every((t) => t.startsWith("tick-"))).toBe(true);
  });

  it("follow: new lines keep arriving after the tail", async () => {
    const { events } = await subscribe(
      "services.logs",
      { service: WEB, follow: true, tail: 0 },
      { until: (e) => texts(e).length >= 3, timeoutMs: 10_000 },
    );
    const ticks = texts(events).map((t) => Number(t.replace("tick-", "")));
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks).toEqual([...ticks].sort((a, b) => a - b)); // one task's lines keep their order
  });

  it("since: only lines at or after the time", async () => {
    const sinceMs = Date.now();
    await new Promise((r) => setTimeout(r, 700));
    const { events } = await subscribe("services.logs", { service: WEB, since: String(sinceMs / 1_000) });
    expect(texts(events).length).toBeGreaterThanOrEqual(2);
    expect(texts(events)).not.toContain("line-1");
    for (const e of lines(events)) expect(e.timestampMs).toBeGreaterThanOrEqual(sinceMs);
  });

  it("timestamps: the text starts with the line's RFC 3339 time", async () => {
    const { events } = await subscribe("tasks.logs", {
      task: (lines((await subscribe("services.logs", { service: WEB, tail: 1 })).events)[0] as LogLineEvent)
        .taskId,
      tail: 1,
      timestamps: true,
    });
    const [only] = lines(events);
    expect(only?.text).toBe(
      `${new Date(only?.timestampMs ?? 0).toISOString()} ${only?.context}    | ${only?.line}`,
    );
  });

  it("stack logs: both services merged in time order", async () => {
    const { events, completed } = await subscribe("stacks.logs", { stack: STACK });
    expect(completed).toBe(true);
    const services = new Set(lines(events).map((e) => e.serviceName));
    expect(services).toEqual(new Set([WEB, API]));
    const times = lines(events).map((e) => e.timestampMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("follow of a service picks up a task that starts later (scale 1 → 2)", async () => {
    const following = subscribe(
      "services.logs",
      { service: API, follow: true, tail: 0 },
      { until: (e) => lines(e).some((l) => l.slot === 2), timeoutMs: 30_000 },
    );
    await new Promise((r) => setTimeout(r, 300));
    await call("services.scale", { service: API, replicas: 2 });
    const { events } = await following;
    const second = lines(events).find((l) => l.slot === 2);
    expect(second?.context).toMatch(new RegExp(`^${API}\\.2\\.[0-9a-z]{12}@${HOSTNAME}$`));
    expect(second?.line).toMatch(/^api-\d+$/);
  }, 40_000);

  it("a viewer-tier procedure: without credentials the subscription is refused", async () => {
    const saved = cookie;
    cookie = "";
    try {
      const { events, error } = await subscribe("services.logs", { service: WEB });
      expect(events).toEqual([]);
      expect(error ?? "").toMatch(/log in/);
    } finally {
      cookie = saved;
    }
  });
});
