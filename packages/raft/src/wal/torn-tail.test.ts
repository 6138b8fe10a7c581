/**
 * A crash can cut the last write short. Start-up must drop exactly the unfinished records at the
 * end of the last segment, say so, and carry on writing after them.
 */
import { appendFile, readFile, truncate, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { openWal } from "./open-wal.ts";
import { HEADER_BYTES, scanRecords } from "./record-frame.ts";
import { entries, entry, ids, recordingLogger, segmentPaths, withTempDir } from "./test-helpers.ts";

/** Saves entries 1..10 (one record each, after the segment header) and returns record offsets. */
async function tenEntries(dir: string): Promise<{ path: string; offsets: number[]; size: number }> {
  const { wal } = await openWal(dir, { logger: recordingLogger() });
  for (let i = 1; i <= 10; i++) await wal.save(undefined, [entry(i, 1, `payload-${i}`.repeat(3))], true);
  await wal.close();
  const [path] = await segmentPaths(dir);
  const buf = await readFile(path!);
  return { path: path!, offsets: scanRecords(buf).records.map((r) => r.offset), size: buf.length };
}

type Damage = (path: string, lastOffset: number, size: number) => Promise<void>;

const cuts: [string, Damage][] = [
  ["cut inside the last header", (p, last) => truncate(p, last + 5)],
  ["cut right after the last header", (p, last) => truncate(p, last + HEADER_BYTES)],
  ["cut inside the last payload", (p, last) => truncate(p, last + HEADER_BYTES + 4)],
  ["cut one byte short", (p, _last, size) => truncate(p, size - 1)],
  [
    "last record's payload zeroed",
    async (p, last, size) => {
      const buf = await readFile(p);
      buf.fill(0, last + HEADER_BYTES + 2, size);
      await writeFile(p, buf);
    },
  ],
  [
    "last record's payload has a flipped bit",
    async (p, _last, size) => {
      const buf = await readFile(p);
      buf[size - 3]! ^= 0x10;
      await writeFile(p, buf);
    },
  ],
];

describe("torn tail", () => {
  for (const [name, damage] of cuts) {
    it(`${name}: the last entry is dropped, logged, and writing resumes`, () =>
      withTempDir(async (dir) => {
        const { path, offsets, size } = await tenEntries(dir);
        await damage(path, offsets[offsets.length - 1]!, size);
        const logger = recordingLogger();
        const { wal, state } = await openWal(dir, { logger });
        expect(ids(state.entries)).toEqual(ids(entries(1, 9)));
        expect(logger.lines).toContainEqual(
          expect.objectContaining({
            level: "warn",
            fields: expect.objectContaining({ path, offset: offsets[offsets.length - 1] }),
          }),
        );
        await wal.save(undefined, [entry(10, 2)], true);
        await wal.close();
        const again = await openWal(dir, { logger: recordingLogger() });
        expect(ids(again.state.entries)).toEqual([...ids(entries(1, 9)), "2/10"]);
        await again.wal.close();
      }));
  }

  it("a zero-filled tail after whole records is dropped without losing a record", () =>
    withTempDir(async (dir) => {
      const { path, size } = await tenEntries(dir);
      await appendFile(path, Buffer.alloc(8192));
      const logger = recordingLogger();
      const { wal, state } = await openWal(dir, { logger });
      expect(ids(state.entries)).toEqual(ids(entries(1, 10)));
      expect(logger.lines[0]?.fields).toMatchObject({
        offset: size,
        droppedBytes: 8192,
        reason: "zero-filled header",
      });
      await wal.close();
      expect((await readFile(path)).length).toBe(size);
    }));

  it("a file cut to nothing but part of the segment header opens empty", () =>
    withTempDir(async (dir) => {
      const { path } = await tenEntries(dir);
      await truncate(path, 3);
      const { wal, state } = await openWal(dir, { logger: recordingLogger() });
      expect(state.entries).toEqual([]);
      await wal.save(undefined, [entry(1)], true);
      await wal.close();
      const again = await openWal(dir, { logger: recordingLogger() });
      expect(ids(again.state.entries)).toEqual(["1/1"]);
      await again.wal.close();
    }));
});
