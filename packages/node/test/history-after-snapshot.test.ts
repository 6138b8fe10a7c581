/**
 * History survives Raft snapshots: two nodes in this process with their HTTP servers and history
 * databases, snapshots every few entries. The first manager's history (audit log, events, a stack
 * revision) is written, its log compacted past all of it, then a second manager joins — it gets a
 * snapshot, not those entries — and its history database ends up with the same rows as the
 * leader's, copied from the leader.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type HistoryDatabase, openHistoryDatabase, PrismaHistoryReader } from "@shoal/api/history";
import type { Logger } from "@shoal/raft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SILENT_LOGGER } from "../src/json-logger.ts";
import { type RunningNode, startNode } from "../src/start-node.ts";
import { freePort } from "./daemon-process.ts";

const SNAPSHOT = { everyEntries: 20, keepEntries: 5 };
/** No Docker Engine answers here: the services keep 0 replicas, nothing runs. */
const NO_ENGINE = "unix:///nonexistent/shoal-history-test.sock";

let root: string;
const nodes: RunningNode[] = [];
const databases: HistoryDatabase[] = [];
const joinerWarnings: string[] = [];

async function start(name: string, logger: Logger = SILENT_LOGGER): Promise<RunningNode> {
  const running = await startNode({
    dataDir: join(root, name),
    listenAddr: `127.0.0.1:${await freePort()}`,
    apiAddr: "127.0.0.1:0",
    hostname: name,
    dockerHost: NO_ENGINE,
    logger,
    http: { bcryptCost: 4 },
    raftSnapshot: SNAPSHOT,
  });
  nodes.push(running);
  return running;
}

async function trpc(running: RunningNode, path: string, input: unknown, cookie = "") {
  const res = await fetch(`http://${running.apiAddr}/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { result?: { data: unknown }; error?: { message: string } };
  if (body.error) throw new Error(`${path}: ${body.error.message}`);
  return { data: body.result?.data, setCookie: res.headers.get("set-cookie") ?? "" };
}

/** The highest Raft index among a node's snapshot files (`<term>-<index>.snap`). */
async function newestSnapshotIndex(running: RunningNode): Promise<number> {
  const names = await readdir(join(running.node.layout.raft, "snap")).catch(() => [] as string[]);
  return Math.max(0, ...names.map((n) => Number(/^\d{16}-(\d{16})\.snap$/.exec(n)?.[1] ?? 0)));
}

async function historyOf(running: RunningNode) {
  const db = await openHistoryDatabase({ dataDir: running.node.layout.root });
  databases.push(db);
  const reader = new PrismaHistoryReader(db.prisma);
  return {
    audit: () => reader.audit({ limit: 1_000 }),
    events: () => reader.events({ limit: 1_000 }),
    revisions: () => reader.stackRevisions({ stack: "shop", limit: 1_000 }),
    lastIndex: async () => {
      const row = await db.prisma.historyProgress.findUnique({ where: { id: 1 } });
      return Number(row?.lastIndex ?? 0);
    },
  };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; joiner warned: ${joinerWarnings.join(" | ") || "nothing"}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "shoal-history-snapshot-"));
});

afterAll(async () => {
  for (const db of databases) await db.close();
  for (const running of nodes.reverse()) await running.stop();
  await rm(root, { recursive: true, force: true });
});

describe("history after a Raft snapshot", () => {
  it("a manager that joins after compaction shows the leader's audit log, events and stack revisions", async () => {
    const leader = await start("m1");
    const init = await trpc(leader, "swarm.init", { admin: { name: "admin", password: "correct horse" } });
    const cookie = init.setCookie.split(";")[0] ?? "";

    const stack = "services:\n  api:\n    image: shoal-test/busybox:1\n    deploy:\n      replicas: 0\n";
    await trpc(
      leader,
      "stacks.deploy",
      { name: "shop", files: [{ name: "stack.yml", text: stack }] },
      cookie,
    );
    const spec = (replicas: number) => ({
      name: "web",
      mode: { replicated: { replicas } },
      taskTemplate: { containerSpec: { image: "shoal-test/busybox:1" } },
    });
    await trpc(leader, "services.create", { spec: spec(0) }, cookie);
    await trpc(leader, "networks.create", { name: "backend", driver: "overlay" }, cookie);
    // Enough entries for two snapshots past everything above, so compaction dropped it.
    for (let i = 0; i < 2 * SNAPSHOT.everyEntries; i++) {
      await trpc(
        leader,
        "secrets.create",
        { name: `s${i}`, data: Buffer.from(`v${i}`).toString("base64") },
        cookie,
      );
    }

    const leaderHistory = await historyOf(leader);
    const [revision] = await leaderHistory.revisions();
    expect(revision?.revision).toBe(1);
    await until("the leader to snapshot past the stack deploy", async () => {
      return (await newestSnapshotIndex(leader)) - SNAPSHOT.keepEntries > (revision?.raftIndex ?? 0);
    });

    const { token } = (await leader.node.control("swarm.joinToken", { role: "manager" })) as {
      token: string;
    };

    const recorder: Logger = {
      ...SILENT_LOGGER,
      warn: (message: string, fields?: Record<string, unknown>) =>
        joinerWarnings.push(`${message} ${JSON.stringify(fields ?? {})}`),
    };
    const joiner = await start("m2", recorder);
    await joiner.node.swarmJoin({ token, remoteAddr: leader.node.info().listenAddr });

    const joinerHistory = await historyOf(joiner);
    const upTo = await leaderHistory.lastIndex();
    await until("the joining manager's history to reach the leader's", async () => {
      return (await joinerHistory.lastIndex()) >= upTo;
    });
    // It did get a snapshot: its first snapshot lies past the stack deploy.
    expect(await newestSnapshotIndex(joiner)).toBeGreaterThan(revision?.raftIndex ?? 0);

    const through = <T extends { raftIndex: number }>(rows: T[]) => rows.filter((r) => r.raftIndex <= upTo);
    expect(through(await joinerHistory.audit())).toEqual(through(await leaderHistory.audit()));
    expect(through(await joinerHistory.events())).toEqual(through(await leaderHistory.events()));
    expect(await joinerHistory.revisions()).toEqual(await leaderHistory.revisions());
    expect((await joinerHistory.audit()).map((a) => a.action)).toContain("stack.deploy");
    expect(joinerWarnings.filter((w) => w.includes("history gap"))).toEqual([]);
  }, 90_000);
});
