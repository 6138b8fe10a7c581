import { join } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client.ts";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { applyMigrations, type MigrationConnection, type MigrationProvider } from "./migrate.ts";
import { postgresMigrationConnection, sqliteMigrationConnection } from "./migration-connections.ts";

/** The history client; the SQLite and PostgreSQL clients have the same models and calls. */
export type HistoryPrisma = InstanceType<typeof SqliteClient>;

/** The id of the one HistoryProgress row (the last Raft index written). */
export const HISTORY_PROGRESS_ID = 1;

/** File name of the SQLite history inside the node's data directory. */
export const HISTORY_SQLITE_FILE = "history.db";

export interface HistoryDatabaseOptions {
  /** The node's data directory: SQLite goes to `<dataDir>/history.db`. */
  readonly dataDir?: string;
  /** A `postgres://` or `postgresql://` URL (usually DATABASE_URL), or `file:` for SQLite. */
  readonly databaseUrl?: string;
}

export interface HistoryDatabase {
  readonly prisma: HistoryPrisma;
  readonly provider: MigrationProvider;
  /** Migrations applied by this open (names), oldest first. */
  readonly applied: readonly string[];
  close(): Promise<void>;
}

/**
 * Opens the history database and brings its schema up to date (prisma/migrations, recorded in
 * `_prisma_migrations`). PostgreSQL when the URL says so, else SQLite in the data directory.
 */
export async function openHistoryDatabase(options: HistoryDatabaseOptions): Promise<HistoryDatabase> {
  const url = options.databaseUrl;
  if (url !== undefined && /^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url });
    const db = await open("postgresql", await postgresMigrationConnection(pool), () => {
      return new PostgresClient({ adapter: new PrismaPg(pool) });
    });
    return { ...db, close: () => db.close().finally(() => pool.end()) };
  }
  const file =
    url ?? (options.dataDir === undefined ? undefined : `file:${join(options.dataDir, HISTORY_SQLITE_FILE)}`);
  if (file === undefined) {
    throw new Error("the history database needs a data directory or a DATABASE_URL: give the node one");
  }
  return open(
    "sqlite",
    sqliteMigrationConnection(file),
    () => new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: file }) }),
  );
}

async function open(
  provider: MigrationProvider,
  migrations: MigrationConnection,
  client: () => unknown,
): Promise<HistoryDatabase> {
  const applied = await applyMigrations(migrations, provider);
  const prisma = client() as HistoryPrisma;
  return { prisma, provider, applied, close: () => prisma.$disconnect() };
}
