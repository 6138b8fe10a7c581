/**
 * Small JSON files of a node's data directory (its state, a manager's data key): read and checked
 * against a schema, written atomically with mode 0600 (a crash leaves the old file or the new one).
 */
import { readFile, rm } from "node:fs/promises";
import { writeFileAtomic } from "@shoal/ca";
import type { z } from "zod";

/** The file's content, or undefined when there is no file; a file that does not parse throws. */
export async function readDataDirJson<S extends z.ZodType>(
  path: string,
  schema: S,
  what: string,
): Promise<z.infer<S> | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const why = json === undefined ? "not JSON" : parsed.error.issues[0]?.message;
    throw new Error(
      `${path} is not a valid ${what} (${why}): restore it from a backup, or remove the data directory and join the swarm again`,
    );
  }
  return parsed.data;
}

export async function writeDataDirJson(path: string, content: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(content, null, 2)}\n`, 0o600);
}

export async function removeDataDirFile(path: string): Promise<void> {
  await rm(path, { force: true });
}
