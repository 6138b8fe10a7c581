import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readDataDirJson, removeDataDirFile, writeDataDirJson } from "./data-dir-json.ts";

const Schema = z.object({ version: z.literal(1), name: z.string() });
const dir = mkdtempSync(join(tmpdir(), "shoal-json-"));

describe("data directory JSON files", () => {
  it("writes with mode 0600, reads back, and an absent file is undefined", async () => {
    const path = join(dir, "state.json");
    expect(await readDataDirJson(path, Schema, "test file")).toBeUndefined();
    await writeDataDirJson(path, { version: 1, name: "a" });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await readDataDirJson(path, Schema, "test file")).toEqual({ version: 1, name: "a" });
    await removeDataDirFile(path);
    expect(await readDataDirJson(path, Schema, "test file")).toBeUndefined();
  });

  it("refuses a damaged file, naming it and what to do", async () => {
    const path = join(dir, "bad.json");
    writeFileSync(path, "{ not json");
    await expect(readDataDirJson(path, Schema, "test file")).rejects.toThrow(
      `${path} is not a valid test file (not JSON): restore it from a backup`,
    );
    writeFileSync(path, JSON.stringify({ version: 2, name: "a" }));
    await expect(readDataDirJson(path, Schema, "test file")).rejects.toThrow(/is not a valid test file \(/);
  });
});
