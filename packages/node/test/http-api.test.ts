/**
 * The node's HTTP server over real HTTP on 127.0.0.1: the dashboard's first run (swarm.status
 * before any swarm, swarm.init with the first admin and its session cookie), a service created
 * through tRPC, and its `service.updated` delta over socket.io.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SILENT_LOGGER } from "../src/json-logger.ts";
import { type RunningNode, startNode } from "../src/start-node.ts";
import { freePort } from "./daemon-process.ts";

let root: string;
let running: RunningNode;
let base: string;
let cookie = "";

async function call(path: string, input?: unknown, init: { cookie?: string; query?: boolean } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init.cookie) headers.cookie = init.cookie;
  const url = init.query
    ? `${base}/api/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`
    : `${base}/api/trpc/${path}`;
  const res = await fetch(url, {
    method: init.query ? "GET" : "POST",
    headers,
    ...(init.query ? {} : { body: JSON.stringify(input ?? null) }),
  });
  const body = (await res.json()) as {
    result?: { data: unknown };
    error?: { message: string; data: { shoalCode: string } };
  };
  return { status: res.status, body, setCookie: res.headers.get("set-cookie") ?? "" };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "shoal-http-"));
  running = await startNode({
    dataDir: join(root, "n1"),
    listenAddr: `127.0.0.1:${await freePort()}`,
    apiAddr: "127.0.0.1:0",
    hostname: "http-test",
    logger: SILENT_LOGGER,
    http: { bcryptCost: 4 },
  });
  base = `http://${running.apiAddr}`;
}, 30_000);

afterAll(async () => {
  await running?.stop();
  await rm(root, { recursive: true, force: true });
});

describe("the node's HTTP API", () => {
  it("answers health and swarm.status before any swarm exists; other calls say what to do", async () => {
    const health = await fetch(`${base}/healthz`).then((r) => r.json());
    expect(health).toMatchObject({ status: "ok", swarm: "inactive", manager: false });
    const status = await call("swarm.status", undefined, { query: true });
    expect(status.body.result?.data).toMatchObject({
      swarm: "inactive",
      isManager: false,
      hostname: "http-test",
    });
    const list = await call("services.list", {}, { query: true });
    expect(list.body.error?.data.shoalCode).toBe("failed-precondition");
    expect(list.body.error?.message).toMatch(/no swarm yet/);
  });

  it("creates the swarm with its first admin in one call and logs the admin in", async () => {
    const init = await call("swarm.init", { admin: { name: "admin", password: "correct horse" } });
    expect(init.status).toBe(200);
    expect(init.body.result?.data).toMatchObject({ adminCreated: true });
    expect(init.setCookie).toMatch(/shoal_session=/);
    cookie = init.setCookie.split(";")[0] ?? "";
    const me = await call("auth.me", undefined, { query: true, cookie });
    expect(me.body.result?.data).toMatchObject({ userName: "admin", role: "admin" });
  }, 30_000);

  it("refuses swarm.init and swarm.join once the node is in a swarm", async () => {
    const again = await call("swarm.init", {});
    expect(again.status).toBe(412);
    expect(again.body.error?.message).toMatch(/already part of a swarm/);
    const join = await call("swarm.join", { token: "SWMTKN-1-x-y", remoteAddr: "127.0.0.1:1" });
    expect(join.body.error?.data.shoalCode).toBe("failed-precondition");
  });

  it("creates a service through tRPC and streams its service.updated delta over socket.io", async () => {
    const listed = await call("services.list", {}, { query: true, cookie });
    const { version } = (listed.body.result?.data ?? { version: 0 }) as { version: number };
    const socket: Socket = io(base, {
      path: "/socket.io",
      extraHeaders: { cookie },
      transports: ["websocket"],
    });
    try {
      const delta = new Promise<{ object: { spec: { name: string } } }>((resolve) =>
        socket.on("service.updated", (d) => resolve(d)),
      );
      const ack = await socket
        .timeout(5_000)
        .emitWithAck("subscribe", { rooms: ["services"], fromVersion: version });
      expect(ack).toMatchObject({ ok: true });
      const created = await call(
        "services.create",
        { spec: { name: "web", taskTemplate: { containerSpec: { image: "shoal-test/busybox:1" } } } },
        { cookie },
      );
      expect(created.body.error).toBeUndefined();
      expect((await delta).object.spec.name).toBe("web");
    } finally {
      socket.close();
    }
  }, 30_000);

  it("refuses a request without credentials with the way to log in", async () => {
    const r = await call("nodes.list", {}, { query: true });
    expect(r.status).toBe(401);
    expect(r.body.error?.data.shoalCode).toBe("unauthenticated");
  });
});
