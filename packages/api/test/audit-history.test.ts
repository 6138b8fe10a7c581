import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChangeBatch } from "@shoal/store";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openHistoryDatabase } from "../src/history/history-database.ts";
import { PrismaHistoryReader } from "../src/history/history-reader.ts";
import { HistoryWriter } from "../src/history/history-writer.ts";
import { ApiHarness, historyCaughtUp, SERVICE_SPEC } from "./api-harness.ts";

let h: ApiHarness;
let admin: string;
beforeEach(async () => {
  h = await ApiHarness.create();
  h.writer.start();
  admin = await h.setUp();
});
afterEach(async () => {
  await h.close();
});

/** Every change batch still in the store's history, oldest first. */
async function allBatches(): Promise<ChangeBatch[]> {
  const out: ChangeBatch[] = [];
  const stop = new AbortController();
  const target = h.store.version;
  for await (const batch of h.store.watch({ fromVersion: 0, signal: stop.signal })) {
    out.push(batch);
    if (batch.version >= target) break;
  }
  return out;
}

describe("the audit log", () => {
  it("has one entry per mutation, with the actor and the procedure, written from the committed log", async () => {
    const a = h.caller({ cookie: admin });
    const operator = await h.userWithToken(admin, "otto", "operator");
    const op = h.caller({ token: operator });
    await op.services.create({ spec: SERVICE_SPEC });
    await op.services.scale({ service: "web", replicas: 1 });
    await op.networks.create({ name: "backend" });
    await op.secrets.create({ name: "db-password", data: "aHVudGVyMg==" });
    await op.configs.create({ name: "nginx", data: "c2VydmVyIHt9" });
    await op.services.remove({ service: "web" });
    await a.swarm.update({ taskHistoryRetentionLimit: 3 });
    await a.swarm.rotateJoinToken({ role: "worker" });
    await a.tokens.revoke({ token: "t", user: "otto" });
    await historyCaughtUp(h);

    const audit = await h.api.history.audit({ limit: 100 });
    expect(audit.map((e) => [e.actor, e.action]).reverse()).toEqual([
      ["user:root", "auth.setup"],
      ["user:root", "user.create"],
      ["user:otto", "token.create"],
      ["token:otto/t", "service.create"],
      ["token:otto/t", "service.scale"],
      ["token:otto/t", "network.create"],
      ["token:otto/t", "secret.create"],
      ["token:otto/t", "config.create"],
      ["token:otto/t", "service.remove"],
      ["user:root", "cluster.update"],
      ["user:root", "cluster.rotateJoinToken"],
      ["user:root", "token.revoke"],
    ]);
    expect(audit.every((e) => e.result === "committed" && e.raftIndex > 0 && e.timeMs === h.clock.now)).toBe(
      true,
    );
    expect(audit.find((e) => e.action === "service.create")?.target).toBe("service web");
    // Nothing secret reaches the history.
    const events = await h.api.history.events({ limit: 1_000 });
    const text = JSON.stringify([audit, events]);
    expect(text).not.toMatch(/aHVudGVyMg==|passwordHash|tokenHash|\$2[aby]\$/);
    expect(events.filter((e) => e.kind === "service").map((e) => e.action)).toEqual([
      "delete",
      "update",
      "create",
    ]);
  });

  it("is readable through history.audit by operators, with paging and an actor filter", async () => {
    await h
      .caller({ cookie: admin })
      .users.create({ name: "olga", role: "operator", password: "long enough" });
    await historyCaughtUp(h);
    const a = h.caller({ cookie: admin });
    const all = await a.history.audit();
    expect(all).toHaveLength(2);
    expect(await a.history.audit({ beforeIndex: all[0]?.raftIndex })).toEqual([all[1]]);
    expect((await a.history.audit({ actor: "user:root" })).length).toBe(2);
  });

  it("is written idempotently by log index: repeats are skipped, and a second manager writes the same rows", async () => {
    await h.caller({ cookie: admin }).users.create({ name: "olga", role: "viewer", password: "long enough" });
    await historyCaughtUp(h);
    const batches = await allBatches();
    for (const batch of batches) expect(await h.writer.write(batch)).toBe(false);
    expect(await h.api.history.audit()).toHaveLength(2);

    // Another manager's copy, written from the same log (twice over, out of its own accord).
    const dir = mkdtempSync(join(tmpdir(), "shoal-api-copy-"));
    const copy = await openHistoryDatabase({ dataDir: dir });
    try {
      const writer = new HistoryWriter(copy.prisma, h.store);
      for (const batch of [...batches, ...batches]) await writer.write(batch);
      const reader = new PrismaHistoryReader(copy.prisma);
      expect(await reader.audit({})).toEqual(await h.api.history.audit({}));
      expect(await reader.events({ limit: 1_000 })).toEqual(await h.api.history.events({ limit: 1_000 }));
      expect(await writer.lastIndex()).toBe(h.store.version);
    } finally {
      await copy.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("records stack revisions once per log index", async () => {
    const revision = {
      stack: "shop",
      revision: 1,
      raftIndex: 42,
      timeMs: 5,
      actor: "user:root",
      yaml: "services: {}\n",
      specs: [{ name: "shop_web" }],
    };
    await h.writer.recordStackRevision(revision);
    await h.writer.recordStackRevision(revision);
    const rows = await h.caller({ cookie: admin }).history.stackRevisions({ stack: "shop" });
    expect(rows).toEqual([{ ...revision }]);
  });
});
