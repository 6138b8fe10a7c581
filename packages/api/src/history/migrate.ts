import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export type MigrationProvider = "sqlite" | "postgresql";

/** Where each provider's migrations live (Prisma's layout: `<timestamp>_<name>/migration.sql`). */
export const MIGRATION_DIRS: Readonly<Record<MigrationProvider, string>> = {
  sqlite: fileURLToPath(new URL("../../../../prisma/migrations", import.meta.url)),
  postgresql: fileURLToPath(new URL("../../../../prisma/postgresql/migrations", import.meta.url)),
};

/** Prisma's own lock key for migrations on PostgreSQL, so `prisma migrate` and we never overlap. */
const POSTGRES_MIGRATION_LOCK_KEY = 72707369;

/** One database connection, held for the whole migration run. */
export interface MigrationConnection {
  /** Runs a script of several statements. */
  executeScript(sql: string): Promise<void>;
  /** Runs one statement with positional text parameters; returns rows as arrays. */
  query(sql: string, args?: readonly string[]): Promise<unknown[][]>;
  close(): Promise<void>;
}

const CREATE_TABLE: Record<MigrationProvider, string> = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`,
  postgresql: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`,
};

/**
 * Applies the migrations not yet finished, oldest first, each recorded in `_prisma_migrations`
 * (id, SHA-256 checksum of migration.sql, started/finished times, steps) exactly as
 * `prisma migrate deploy` records them, so Prisma's own CLI can take over later. On PostgreSQL the
 * run holds Prisma's advisory lock, so managers sharing one database migrate one at a time.
 * Returns the names applied now.
 */
export async function applyMigrations(
  db: MigrationConnection,
  provider: MigrationProvider,
  dir: string = MIGRATION_DIRS[provider],
): Promise<string[]> {
  const p = (i: number) => (provider === "sqlite" ? "?" : `$${i}`);
  try {
    if (provider === "postgresql")
      await db.query(`SELECT pg_advisory_lock(${POSTGRES_MIGRATION_LOCK_KEY})::text`);
    await db.executeScript(CREATE_TABLE[provider]);
    const done = await db.query(
      `SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`,
    );
    const finished = new Set(done.map((r) => String(r[0])));
    const applied: string[] = [];
    for (const name of migrationNames(dir)) {
      if (finished.has(name)) continue;
      const sql = readFileSync(`${dir}/${name}/migration.sql`, "utf8");
      const id = randomUUID();
      const checksum = createHash("sha256").update(sql).digest("hex");
      await db.query(
        `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "applied_steps_count") VALUES (${p(1)}, ${p(2)}, ${p(3)}, CURRENT_TIMESTAMP, 0)`,
        [id, checksum, name],
      );
      await db.executeScript(sql);
      await db.query(
        `UPDATE "_prisma_migrations" SET "finished_at" = CURRENT_TIMESTAMP, "applied_steps_count" = 1 WHERE "id" = ${p(1)}`,
        [id],
      );
      applied.push(name);
    }
    return applied;
  } finally {
    if (provider === "postgresql") {
      await db
        .query(`SELECT pg_advisory_unlock(${POSTGRES_MIGRATION_LOCK_KEY})::text`)
        .catch(() => undefined);
    }
    await db.close();
  }
}

/** Migration folder names in the order Prisma applies them (lexical: timestamps first). */
export function migrationNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}
