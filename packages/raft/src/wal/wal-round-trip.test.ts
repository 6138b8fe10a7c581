import { describe, expect, it } from "vitest";
import { openWal } from "./open-wal.ts";
import { entries, entry, ids, recordingLogger, withTempDir } from "./test-helpers.ts";

const quiet = () => ({ logger: recordingLogger() });

describe("WAL round trip", () => {
  it("starts empty in a fresh directory", () =>
    withTempDir(async (dir) => {
      const { wal, state } = await openWal(dir, quiet());
      expect(state).toEqual({ hardState: { term: 0, vote: 0, commit: 0 }, entries: [] });
      await wal.close();
    }));

  it("returns what was saved: entries, then the latest hard state", () =>
    withTempDir(async (dir) => {
      const { wal } = await openWal(dir, quiet());
      await wal.save({ term: 1, vote: 2, commit: 0 }, entries(1, 3), true);
      await wal.save({ term: 1, vote: 2, commit: 3 }, [], true);
      await wal.close();
      const { wal: again, state } = await openWal(dir, quiet());
      expect(state.hardState).toEqual({ term: 1, vote: 2, commit: 3 });
      expect(state.entries).toEqual(entries(1, 3));
      await again.close();
    }));

  it("keeps every save across many reopenings", () =>
    withTempDir(async (dir) => {
      let next = 1;
      for (let round = 0; round < 5; round++) {
        const { wal, state } = await openWal(dir, quiet());
        expect(state.entries.length).toBe(next - 1);
        for (let i = 0; i < 50; i++, next++)
          await wal.save({ term: 1, vote: 1, commit: next - 1 }, [entry(next)], true);
        await wal.close();
      }
      const { wal, state } = await openWal(dir, quiet());
      expect(ids(state.entries)).toEqual(ids(entries(1, 250)));
      expect(state.hardState.commit).toBe(249);
      await wal.close();
    }));

  it("lets later records win: an overwrite from a new leader drops the old suffix", () =>
    withTempDir(async (dir) => {
      const { wal } = await openWal(dir, quiet());
      await wal.save({ term: 1, vote: 1, commit: 2 }, entries(1, 5, 1), true);
      await wal.save({ term: 2, vote: 3, commit: 2 }, entries(3, 4, 2), true); // replaces 3..5
      await wal.save(undefined, [entry(5, 2)], true);
      await wal.save(undefined, [entry(4, 3)], true); // replaces 4..5 again
      await wal.close();
      const { wal: again, state } = await openWal(dir, quiet());
      expect(ids(state.entries)).toEqual(["1/1", "1/2", "2/3", "3/4"]);
      expect(state.hardState).toEqual({ term: 2, vote: 3, commit: 2 });
      await again.close();
    }));

  it("rejects saves after close with wal-closed", () =>
    withTempDir(async (dir) => {
      const { wal } = await openWal(dir, quiet());
      await wal.close();
      await wal.close();
      await expect(wal.save(undefined, [entry(1)], true)).rejects.toMatchObject({ code: "wal-closed" });
    }));
});
