/**
 * Segment rollover, snapshots and release: old segments go once a snapshot covers them, and a
 * damaged snapshot is skipped only while the WAL still holds every entry after the older one.
 */
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openWal } from "./open-wal.ts";
import { snapshotFileName, writeSnapshotFile } from "./snapshot-files.ts";
import { entries, entry, ids, recordingLogger, segmentPaths, snapshot, withTempDir } from "./test-helpers.ts";

const SMALL = { segmentBytesMax: 4096 };

async function fill(dir: string, from: number, to: number, opts = {}): Promise<void> {
  const { wal } = await openWal(dir, { logger: recordingLogger(), ...SMALL, ...opts });
  for (let i = from; i <= to; i++)
    await wal.save({ term: 1, vote: 1, commit: i }, [entry(i, 1, "z".repeat(100))], true);
  await wal.close();
}

async function corruptSnapshot(dir: string, term: number, index: number): Promise<string> {
  const path = join(dir, "snap", snapshotFileName(term, index));
  const buf = await readFile(path);
  buf[buf.length - 2]! ^= 0x01;
  await writeFile(path, buf);
  return path;
}

describe("segments", () => {
  it("rolls over at segmentBytesMax and replays across segments", () =>
    withTempDir(async (dir) => {
      await fill(dir, 1, 200);
      const paths = await segmentPaths(dir);
      expect(paths.length).toBeGreaterThan(4);
      expect(paths[0]).toMatch(/0000000000000001-0000000000000001\.wal$/);
      const { wal, state } = await openWal(dir, { logger: recordingLogger(), ...SMALL });
      expect(state.entries.length).toBe(200);
      expect(state.entries[199]!.index).toBe(200);
      await wal.close();
    }));

  it("releases segments covered by a snapshot and reopens from the snapshot", () =>
    withTempDir(async (dir) => {
      await fill(dir, 1, 200);
      const before = (await segmentPaths(dir)).length;
      const { wal } = await openWal(dir, { logger: recordingLogger(), ...SMALL });
      await wal.saveSnapshot(snapshot(150, 1));
      await wal.releaseTo(150);
      expect(wal.stats.segmentsReleased).toBeGreaterThan(0);
      await wal.close();
      const paths = await segmentPaths(dir);
      expect(paths.length).toBe(before - wal.stats.segmentsReleased);
      const { wal: again, state } = await openWal(dir, { logger: recordingLogger(), ...SMALL });
      expect(state.snapshot?.metadata.index).toBe(150);
      expect(new TextDecoder().decode(state.snapshot?.data)).toBe("state@150");
      expect(ids(state.entries)).toEqual(ids(entries(151, 200)));
      expect(state.hardState.commit).toBe(200);
      await again.close();
    }));

  it("keeps releaseKeepEntries entries below the release point", () =>
    withTempDir(async (dir) => {
      await fill(dir, 1, 200);
      const { wal } = await openWal(dir, { logger: recordingLogger(), ...SMALL, releaseKeepEntries: 60 });
      await wal.saveSnapshot(snapshot(150, 1));
      await wal.releaseTo(150);
      await wal.close();
      const firstIndex = Number(/-(\d+)\.wal$/.exec((await segmentPaths(dir))[0]!)![1]);
      expect(firstIndex - 1).toBeLessThanOrEqual(90);
      expect(firstIndex).toBeGreaterThan(1);
    }));

  it("a crash part-way through release (only the oldest segment gone) still opens", () =>
    withTempDir(async (dir) => {
      await fill(dir, 1, 200);
      const { wal } = await openWal(dir, { logger: recordingLogger(), ...SMALL });
      await wal.saveSnapshot(snapshot(150, 1));
      await wal.close();
      await rm((await segmentPaths(dir))[0]!); // releaseTo deletes oldest first
      const { wal: again, state } = await openWal(dir, { logger: recordingLogger(), ...SMALL });
      expect(state.snapshot?.metadata.index).toBe(150);
      expect(ids(state.entries)).toEqual(ids(entries(151, 200)));
      await again.close();
    }));

  it("never releases past the newest snapshot, whatever index is asked for", () =>
    withTempDir(async (dir) => {
      await fill(dir, 1, 200);
      const { wal } = await openWal(dir, { logger: recordingLogger(), ...SMALL });
      await wal.releaseTo(200);
      expect(wal.stats.segmentsReleased).toBe(0);
      await wal.close();
    }));
});

describe("snapshots", () => {
  it("an installed snapshot beyond the log replaces it", () =>
    withTempDir(async (dir) => {
      const { wal } = await openWal(dir, { logger: recordingLogger() });
      await wal.save({ term: 1, vote: 1, commit: 5 }, entries(1, 60, 1), true);
      await wal.saveSnapshot(snapshot(50, 3)); // term 3 at 50 does not match our entry 50
      await wal.save({ term: 3, vote: 0, commit: 50 }, [], true);
      await wal.close();
      const { wal: again, state } = await openWal(dir, { logger: recordingLogger() });
      expect(state.snapshot?.metadata).toMatchObject({ index: 50, term: 3 });
      expect(state.entries).toEqual([]); // 51..60 from the old term are gone, as in Raft
      await again.save(undefined, entries(51, 52, 3), true);
      await again.close();
      const third = await openWal(dir, { logger: recordingLogger() });
      expect(ids(third.state.entries)).toEqual(["3/51", "3/52"]);
      await third.wal.close();
    }));

  it("a damaged newest snapshot falls back to an older one while the WAL covers the gap", () =>
    withTempDir(async (dir) => {
      await fill(dir, 1, 200);
      const { wal } = await openWal(dir, { logger: recordingLogger(), ...SMALL });
      await wal.saveSnapshot(snapshot(100, 1));
      await wal.saveSnapshot(snapshot(150, 1));
      await wal.close();
      const path = await corruptSnapshot(dir, 1, 150);
      const logger = recordingLogger();
      const { wal: again, state } = await openWal(dir, { logger, ...SMALL });
      expect(state.snapshot?.metadata.index).toBe(100);
      expect(ids(state.entries)).toEqual(ids(entries(101, 200)));
      expect(logger.lines).toContainEqual(
        expect.objectContaining({ level: "error", fields: expect.objectContaining({ path }) }),
      );
      await again.close();
    }));

  it("a damaged snapshot whose entries were released stops start-up, naming the file", () =>
    withTempDir(async (dir) => {
      await fill(dir, 1, 200);
      const { wal } = await openWal(dir, { logger: recordingLogger(), ...SMALL });
      await wal.saveSnapshot(snapshot(100, 1));
      await wal.saveSnapshot(snapshot(150, 1));
      await wal.releaseTo(150);
      await wal.close();
      const path = await corruptSnapshot(dir, 1, 150);
      const err = await openWal(dir, { logger: recordingLogger(), ...SMALL }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: "wal-corrupt" });
      expect((err as Error).message).toContain(path);
      expect((err as Error).message).toContain("were released");
    }));

  it("ignores a snapshot file the WAL never recorded and removes unfinished ones", () =>
    withTempDir(async (dir) => {
      await fill(dir, 1, 20);
      await writeSnapshotFile(join(dir, "snap"), snapshot(10, 1)); // crash before the marker
      await writeFile(join(dir, "snap", `${snapshotFileName(1, 15)}.123-1.tmp`), "half");
      const logger = recordingLogger();
      const { wal, state } = await openWal(dir, { logger });
      expect(state.snapshot).toBeUndefined();
      expect(state.entries.length).toBe(20);
      expect((await readdir(join(dir, "snap"))).some((n) => n.endsWith(".tmp"))).toBe(false);
      await wal.close();
    }));
});
