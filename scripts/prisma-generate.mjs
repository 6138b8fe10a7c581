#!/usr/bin/env node
// Generates the Prisma clients of @shoal/api's history (SQLite and PostgreSQL) into
// packages/api/src/history/generated/. Runs at `npm install` (root postinstall) and before the
// api tests; needs no network: the schema engine is not used by `prisma generate`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const prisma = join(root, "node_modules", "prisma", "build", "index.js");
if (!existsSync(prisma)) {
  console.log("prisma-generate: prisma is not installed yet; skipping");
  process.exit(0);
}
// `prisma generate` needs no schema engine; this keeps the CLI from trying to download one.
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true" };
for (const schema of ["prisma/schema.prisma", "prisma/postgresql/schema.prisma"]) {
  const r = spawnSync(process.execPath, [prisma, "generate", "--schema", schema], {
    cwd: root,
    env,
    stdio: "inherit",
  });
  if (r.status !== 0) {
    console.error(`prisma-generate: generating ${schema} failed`);
    process.exit(r.status ?? 1);
  }
}
