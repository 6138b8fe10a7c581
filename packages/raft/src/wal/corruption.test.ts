/**
 * Damage anywhere but the tail of the last segment means acknowledged data is gone: the node must
 * refuse to start, naming the file and byte offset, never continue with a shorter log.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { openWal } from "./open-wal.ts";
import { HEADER_BYTES, scanRecords } from "./record-frame.ts";
import { entry, recordingLogger, segmentPaths, withTempDir } from "./test-helpers.ts";

const quiet = () => ({ logger: recordingLogger() });

async function flipByte(path: string, offset: number): Promise<void> {
  const buf = await readFile(path);
  buf[offset]! ^= 0xff;
  await writeFile(path, buf);
}

async function offsetsOf(path: string): Promise<number[]> {
  return scanRecords(await readFile(path)).records.map((r) => r.offset);
}

async function someEntries(dir: string, segmentBytesMax?: number): Promise<void> {
  const { wal } = await openWal(dir, segmentBytesMax ? { ...quiet(), segmentBytesMax } : quiet());
  for (let i = 1; i <= 20; i++) await wal.save(undefined, [entry(i, 1, "x".repeat(600))], true);
  await wal.close();
}

describe("corruption away from the tail", () => {
  it("a bad payload in the middle of the last segment stops start-up with file and offset", () =>
    withTempDir(async (dir) => {
      await someEntries(dir);
      const [path] = await segmentPaths(dir);
      const at = (await offsetsOf(path!))[4]!;
      await flipByte(path!, at + HEADER_BYTES + 3);
      const err = await openWal(dir, quiet()).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: "wal-corrupt" });
      expect((err as Error).message).toContain(`${path} is corrupt at byte ${at}`);
      expect((err as Error).message).toContain("Restore this node's data directory");
    }));

  it("a damaged length field in the middle is not mistaken for a torn tail", () =>
    withTempDir(async (dir) => {
      await someEntries(dir);
      const [path] = await segmentPaths(dir);
      const at = (await offsetsOf(path!))[3]!;
      await flipByte(path!, at + 2); // a huge length would otherwise swallow the rest of the file
      await expect(openWal(dir, quiet())).rejects.toThrow(`corrupt at byte ${at}: header checksum mismatch`);
    }));

  it("a torn end of a sealed (not last) segment is corruption", () =>
    withTempDir(async (dir) => {
      await someEntries(dir, 4096);
      const paths = await segmentPaths(dir);
      expect(paths.length).toBeGreaterThan(1);
      const first = paths[0]!;
      const buf = await readFile(first);
      await writeFile(first, buf.subarray(0, buf.length - 10));
      await expect(openWal(dir, quiet())).rejects.toThrow(`${first} is corrupt at byte`);
    }));

  it("a missing segment in the middle is reported", () =>
    withTempDir(async (dir) => {
      await someEntries(dir, 4096);
      const paths = await segmentPaths(dir);
      expect(paths.length).toBeGreaterThan(2);
      await rm(paths[1]!);
      await expect(openWal(dir, quiet())).rejects.toMatchObject({
        code: "wal-corrupt",
        message: /has a hole/,
      });
    }));

  it("a missing first segment without a snapshot is reported, not replayed from the middle", () =>
    withTempDir(async (dir) => {
      await someEntries(dir, 4096);
      const paths = await segmentPaths(dir);
      await rm(paths[0]!);
      await expect(openWal(dir, quiet())).rejects.toMatchObject({
        code: "wal-corrupt",
        message: /were released/,
      });
    }));
});
