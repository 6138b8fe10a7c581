import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestStore } from "@shoal/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HistoryDatabase, openHistoryDatabase } from "../src/history/history-database.ts";
import { PrismaHistoryReader } from "../src/history/history-reader.ts";
import { HistoryWriter } from "../src/history/history-writer.ts";
import { MIGRATION_DIRS, migrationNames } from "../src/history/migrate.ts";
import { type PostgresServer, startPostgres } from "./postgres-server.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;

/** Open, migrate, write history from a store's log, reopen: the same for either database. */
async function exerciseHistory(open: () => Promise<HistoryDatabase>, provider: "sqlite" | "postgresql") {
  const db = await open();
  try {
    expect(db.provider).toBe(provider);
    expect(db.applied).toEqual(migrationNames(MIGRATION_DIRS[provider]));
    const recorded = await db.prisma.$queryRawUnsafe<
      { migration_name: string; checksum: string; applied_steps_count: number }[]
    >(
      `SELECT "migration_name", "checksum", "applied_steps_count" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL`,
    );
    expect(recorded.map((r) => r.migration_name)).toEqual(db.applied);
    const name = db.applied[0] as string;
    const sql = readFileSync(join(MIGRATION_DIRS[provider], name, "migration.sql"));
    expect(recorded[0]?.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
    expect(Number(recorded[0]?.applied_steps_count)).toBe(1);

    const { store } = createTestStore();
    await store.update((tx) => tx.create("config", { spec: { name: "nginx", labels: {}, data: "eA==" } }), {
      actor: "user:root config.create",
    });
    const writer = new HistoryWriter(db.prisma, store);
    writer.start();
    for (let i = 0; i < 100 && (await writer.lastIndex()) < store.version; i++)
      await new Promise((r) => setTimeout(r, 10));
    await writer.stop();
    const reader = new PrismaHistoryReader(db.prisma);
    expect(await reader.audit()).toMatchObject([
      { actor: "user:root", action: "config.create", target: "config nginx" },
    ]);
  } finally {
    await db.close();
  }
  const again = await open();
  try {
    expect(again.applied).toEqual([]);
    expect(await new PrismaHistoryReader(again.prisma).audit()).toHaveLength(1);
  } finally {
    await again.close();
  }
}

describe("history in SQLite (the default, in the node's data directory)", () => {
  it("migrates at start-up as Prisma records it, writes from the log, and migrates only once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shoal-history-"));
    try {
      await exerciseHistory(() => openHistoryDatabase({ dataDir: dir }), "sqlite");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("history in PostgreSQL (DATABASE_URL)", () => {
  let pg: PostgresServer | { skip: string };
  beforeAll(async () => {
    pg = await startPostgres();
  }, 300_000);
  afterAll(() => {
    if ("stop" in pg) pg.stop();
  });

  it("migrates, writes and reads the same way", async (ctx) => {
    if ("skip" in pg) return ctx.skip(pg.skip);
    const url = pg.url;
    await exerciseHistory(() => openHistoryDatabase({ databaseUrl: url }), "postgresql");
  });
});

describe("the two Prisma schemas", () => {
  it("hold the same models", () => {
    const models = (file: string) =>
      readFileSync(join(ROOT, file), "utf8")
        .split("// --- models")[1]
        ?.replace(/\(keep in step with [^)]*\)/, "");
    expect(models("prisma/postgresql/schema.prisma")).toBe(models("prisma/schema.prisma"));
    expect(migrationNames(MIGRATION_DIRS.postgresql)).toEqual(migrationNames(MIGRATION_DIRS.sqlite));
  });
});
