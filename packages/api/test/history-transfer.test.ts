/**
 * Copying history between managers' databases (what a manager restored from a snapshot does with
 * the leader's): bounded pages that end on whole transactions, idempotent imports, and pages that
 * never claim an index the exporting database has not written.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type HistoryDatabase, openHistoryDatabase } from "../src/history/history-database.ts";
import { PrismaHistoryReader } from "../src/history/history-reader.ts";
import { exportHistory, type HistoryPage, importHistory } from "../src/history/history-transfer.ts";
import { ApiHarness, historyCaughtUp, SERVICE_SPEC } from "./api-harness.ts";

const STACK = "services:\n  web:\n    image: nginx:1.25\n    deploy:\n      replicas: 3\n";

let h: ApiHarness;
let dir: string;
let copy: HistoryDatabase;
beforeEach(async () => {
  h = await ApiHarness.create();
  h.writer.start();
  const admin = await h.setUp();
  const a = h.caller({ cookie: admin });
  await a.services.create({ spec: SERVICE_SPEC });
  await a.stacks.deploy({ name: "shop", files: [{ name: "stack.yml", text: STACK }] });
  await a.services.scale({ service: "web", replicas: 2 });
  await a.stacks.deploy({ name: "shop", files: [{ name: "stack.yml", text: STACK.replace("3", "1") }] });
  await a.secrets.create({ name: "db-password", data: "aHVudGVyMg==" });
  await historyCaughtUp(h);
  dir = mkdtempSync(join(tmpdir(), "shoal-history-copy-"));
  copy = await openHistoryDatabase({ dataDir: dir });
});
afterEach(async () => {
  await copy.close();
  rmSync(dir, { recursive: true, force: true });
  await h.close();
});

const source = () => h.db.prisma;
const LIMITS = { events: 3, audit: 2, revisions: 1 };

describe("history transfer", () => {
  it("copies a range page by page into another database, which then reads the same", async () => {
    const through = h.store.version;
    const pages: HistoryPage[] = [];
    for (let after = 0; after < through; ) {
      const page = await exportHistory(source(), { afterIndex: after, throughIndex: through }, LIMITS);
      expect(page.throughIndex).toBeGreaterThan(after);
      pages.push(page);
      expect(await importHistory(copy.prisma, page)).toBe(true);
      after = page.throughIndex;
    }
    expect(pages.length).toBeGreaterThan(2);
    for (const page of pages) {
      // Over a limit only when the page's first transaction alone is.
      const indexes = new Set(page.events.map((e) => e.raftIndex));
      if (page.events.length > LIMITS.events) expect(indexes.size).toBe(1);
      expect(page.audit.length).toBeLessThanOrEqual(LIMITS.audit);
      expect(page.revisions.length).toBeLessThanOrEqual(LIMITS.revisions);
    }

    const ours = new PrismaHistoryReader(copy.prisma);
    expect(await ours.audit({ limit: 1_000 })).toEqual(await h.api.history.audit({ limit: 1_000 }));
    expect(await ours.events({ limit: 1_000 })).toEqual(await h.api.history.events({ limit: 1_000 }));
    const revisions = await ours.stackRevisions({ stack: "shop" });
    expect(revisions.map((r) => r.revision)).toEqual([2, 1]);
    expect(revisions).toEqual(await h.api.history.stackRevisions({ stack: "shop" }));

    // Importing again changes nothing.
    for (const page of pages) expect(await importHistory(copy.prisma, page)).toBe(false);
    expect(await ours.events({ limit: 1_000 })).toEqual(await h.api.history.events({ limit: 1_000 }));
  });

  it("never hands out an index the source has not written, and says how far it has", async () => {
    const written = h.store.version;
    const page = await exportHistory(source(), { afterIndex: written, throughIndex: written + 50 });
    expect(page).toMatchObject({ throughIndex: written, sourceLastIndex: written, audit: [], events: [] });
    const fresh = mkdtempSync(join(tmpdir(), "shoal-history-empty-"));
    const empty = await openHistoryDatabase({ dataDir: fresh });
    try {
      expect(await exportHistory(empty.prisma, { afterIndex: 0, throughIndex: 10 })).toMatchObject({
        throughIndex: 0,
        sourceLastIndex: 0,
      });
    } finally {
      await empty.close();
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it("refuses a malformed page with the field that is wrong", async () => {
    await expect(importHistory(copy.prisma, { afterIndex: 0 } as HistoryPage)).rejects.toThrow(
      /throughIndex/,
    );
  });
});
