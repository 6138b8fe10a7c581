import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { attachLiveUpdates, type LiveUpdates } from "../src/live/attach-live-updates.ts";
import type {
  ClientToServerEvents,
  LiveEvent,
  ObjectDelta,
  ServerToClientEvents,
  SubscribeResult,
} from "../src/live/live-events.ts";
import { ApiHarness, SERVICE_SPEC } from "./api-harness.ts";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

let h: ApiHarness;
let http: HttpServer;
let io: Server;
let live: LiveUpdates;
let url: string;
let admin: string;
const clients: Client[] = [];

async function startServer(options: { historyBatchesMax?: number } = {}) {
  h = await ApiHarness.create(options);
  admin = await h.setUp();
  http = createServer();
  io = new Server(http);
  live = attachLiveUpdates(io, h.store, h.services.authenticator);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  live.close();
  await new Promise<void>((resolve) => io.close(() => resolve()));
  await h.close();
});

function client(auth: { token?: string; cookie?: string }): Client {
  const c: Client = connect(url, {
    auth: auth.token === undefined ? {} : { token: auth.token },
    extraHeaders: auth.cookie === undefined ? {} : { cookie: auth.cookie },
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
  });
  clients.push(c);
  return c;
}

function connected(c: Client): Promise<void> {
  return new Promise((resolve, reject) => {
    c.once("connect", () => resolve());
    c.once("connect_error", reject);
  });
}

function subscribe(c: Client, rooms: string[], fromVersion?: number): Promise<SubscribeResult> {
  return new Promise((resolve) =>
    c.emit("subscribe", { rooms, ...(fromVersion === undefined ? {} : { fromVersion }) }, resolve),
  );
}

/** Collects deltas of one event name. */
function collect<E extends "service.updated" | "task.updated" | "node.updated" | "event">(
  c: Client,
  name: E,
) {
  const seen: (E extends "event" ? LiveEvent : ObjectDelta<"service">)[] = [];
  c.on(name as "service.updated", (d: ObjectDelta<"service">) => seen.push(d as never));
  return seen;
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("live updates over socket.io", () => {
  beforeEach(async () => {
    await startServer();
  });

  it("refuse a connection without valid credentials, with a code", async () => {
    const error = await connected(client({})).catch((e: Error & { data?: { code: string } }) => e);
    expect(error).toMatchObject({
      message: expect.stringMatching(/log in/),
      data: { code: "unauthenticated" },
    });
    const bad = await connected(client({ token: "shoal_bogus" })).catch(
      (e: Error & { data?: { code: string } }) => e,
    );
    expect(bad).toMatchObject({ data: { code: "unauthenticated" } });
  });

  it("send typed deltas stamped with the store version to the rooms a viewer joined", async () => {
    const viewer = await h.userWithToken(admin, "vera", "viewer");
    const c = client({ token: viewer });
    await connected(c);
    const services = collect(c, "service.updated");
    const events = collect(c, "event");
    const ack = await subscribe(c, ["services", "events"]);
    expect(ack).toMatchObject({ ok: true, version: h.store.version, rooms: ["services", "events"] });
    const created = await h.caller({ cookie: admin }).services.create({ spec: SERVICE_SPEC });
    await until(() => services.length === 1 && events.length === 1, "the service delta");
    expect(services[0]).toMatchObject({ version: created.version, action: "create", id: created.id });
    expect(services[0]?.object.spec.name).toBe("web");
    expect(events[0]).toMatchObject({
      version: created.version,
      kind: "service",
      action: "create",
      name: "web",
      actor: "user:root",
    });
  });

  it("a room for one object gets only that object's changes; unknown rooms are refused", async () => {
    const c = client({ cookie: admin });
    await connected(c);
    const a = h.caller({ cookie: admin });
    const web = await a.services.create({ spec: SERVICE_SPEC });
    await a.services.create({ spec: { ...SERVICE_SPEC, name: "db" } });
    const services = collect(c, "service.updated");
    expect(await subscribe(c, ["secrets"])).toMatchObject({ ok: false, code: "invalid-argument" });
    expect(await subscribe(c, [`service:${web.id}`])).toMatchObject({ ok: true });
    await a.services.scale({ service: "db", replicas: 5 });
    await a.services.scale({ service: "web", replicas: 7 });
    await until(() => services.length === 1, "the web delta");
    await new Promise((r) => setTimeout(r, 50));
    expect(services.map((d) => d.object.spec.name)).toEqual(["web"]);
  });

  it("resume after a reconnect from the last version seen, with nothing lost or repeated", async () => {
    const a = h.caller({ cookie: admin });
    const first = client({ cookie: admin });
    await connected(first);
    const seen = collect(first, "service.updated");
    await subscribe(first, ["services"]);
    await a.services.create({ spec: SERVICE_SPEC });
    await until(() => seen.length === 1, "the first delta");
    first.disconnect();
    const lastVersion = seen[0]?.version as number;

    await a.services.scale({ service: "web", replicas: 3 });
    await a.services.scale({ service: "web", replicas: 4 });

    const again = client({ cookie: admin });
    await connected(again);
    const missed = collect(again, "service.updated");
    expect(await subscribe(again, ["services"], lastVersion)).toMatchObject({ ok: true });
    await until(() => missed.length === 2, "the missed deltas");
    expect(missed.map((d) => d.object.spec.mode)).toEqual([
      { replicated: { replicas: 3 } },
      { replicated: { replicas: 4 } },
    ]);
    expect(missed[0]?.version).toBeGreaterThan(lastVersion);
  });

  it("joining more rooms later keeps the stream's place: nothing repeated, nothing skipped", async () => {
    const a = h.caller({ cookie: admin });
    const c = client({ cookie: admin });
    await connected(c);
    const services = collect(c, "service.updated");
    const events = collect(c, "event");
    await subscribe(c, ["services"]);
    await a.services.create({ spec: SERVICE_SPEC });
    await until(() => services.length === 1, "the first delta");
    expect(await subscribe(c, ["events"])).toMatchObject({ ok: true, rooms: ["services", "events"] });
    await a.services.scale({ service: "web", replicas: 4 });
    await until(() => services.length === 2 && events.length === 1, "the second delta");
    await new Promise((r) => setTimeout(r, 50));
    expect(services.map((d) => d.action)).toEqual(["create", "update"]);
    expect(events.map((e) => e.action)).toEqual(["update"]);
  });

  it("a revoked token's stream is stopped: denied, then disconnected", async () => {
    const operator = await h.userWithToken(admin, "otto", "operator");
    const c = client({ token: operator });
    await connected(c);
    const denied = new Promise<{ code: string }>((resolve) => c.on("denied", resolve));
    await subscribe(c, ["services"]);
    await h.caller({ cookie: admin }).tokens.revoke({ token: "t", user: "otto" });
    await h.caller({ cookie: admin }).services.create({ spec: SERVICE_SPEC });
    expect(await denied).toMatchObject({ code: "unauthenticated" });
  });
});

describe("live updates when the store's history no longer reaches back", () => {
  beforeEach(async () => {
    await startServer({ historyBatchesMax: 4 });
  });

  it("tell the client to resync instead of sending a partial stream", async () => {
    const a = h.caller({ cookie: admin });
    const old = h.store.version;
    await a.services.create({ spec: SERVICE_SPEC });
    for (let replicas = 1; replicas <= 6; replicas++) await a.services.scale({ service: "web", replicas });
    const c = client({ cookie: admin });
    await connected(c);
    const ack = await subscribe(c, ["services"], old);
    expect(ack).toMatchObject({ ok: false, code: "resync-required", version: h.store.version });
    // After refetching (a list gives its version) the client subscribes from there.
    const list = await a.services.list();
    expect(await subscribe(c, ["services"], list.version)).toMatchObject({ ok: true });
  });
});
