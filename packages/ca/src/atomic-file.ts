import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Replaces `path` with `data` so that a crash leaves either the old file or the new one: write a
 * temporary file with `mode` in the same directory, fsync it, rename it over `path`, fsync the
 * directory.
 */
export async function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmpPath = `${path}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`;
  const file = await open(tmpPath, "wx", mode);
  try {
    await file.writeFile(data, "utf8");
    await file.chmod(mode);
    await file.sync();
  } catch (err) {
    await file.close();
    await rm(tmpPath, { force: true });
    throw err;
  }
  await file.close();
  try {
    await rename(tmpPath, path);
  } catch (err) {
    await rm(tmpPath, { force: true });
    throw err;
  }
  await syncDirectory(dirname(path));
}

export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
