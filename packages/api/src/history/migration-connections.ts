import Database from "better-sqlite3";
import type pg from "pg";
import type { MigrationConnection } from "./migrate.ts";

/** A SQLite file (path, or `file:` URL) opened for migrating. */
export function sqliteMigrationConnection(file: string): MigrationConnection {
  const db = new Database(file.replace(/^file:/, ""));
  return {
    executeScript: async (sql) => {
      db.exec(sql);
    },
    query: async (sql, args = []) => {
      const statement = db.prepare(sql);
      if (!statement.reader) {
        statement.run(...args);
        return [];
      }
      return statement.raw(true).all(...args) as unknown[][];
    },
    close: async () => {
      db.close();
    },
  };
}

/** One client of the pool, held for the whole run (the advisory lock is per session). */
export async function postgresMigrationConnection(pool: pg.Pool): Promise<MigrationConnection> {
  const client = await pool.connect();
  return {
    executeScript: async (sql) => {
      await client.query(sql);
    },
    query: async (sql, args = []) =>
      (await client.query({ text: sql, values: [...args], rowMode: "array" })).rows,
    close: async () => {
      client.release();
    },
  };
}
