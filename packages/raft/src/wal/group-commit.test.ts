/**
 * Group commit: saves that arrive while a write+fdatasync is in flight share the next one, and
 * each promise resolves only after the sync that covers it. An I/O error fails every pending
 * save and closes the WAL: nothing is acknowledged that is not on disk.
 */
import { describe, expect, it } from "vitest";
import { openWal } from "./open-wal.ts";
import { entry, ids, recordingLogger, withTempDir } from "./test-helpers.ts";

function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

describe("group commit", () => {
  it("coalesces 200 concurrent saves into a few fsyncs, each resolving after its sync", () =>
    withTempDir(async (dir) => {
      const first = gate();
      let held = true; // not during openWal's own sync
      const hooks = {
        beforeSync: async () => {
          if (held) return;
          held = true;
          await first.wait; // hold the first sync so the rest pile up behind it
        },
      };
      const { wal } = await openWal(dir, { logger: recordingLogger(), hooks });
      const syncsBefore = wal.stats.syncs;
      held = false;
      const resolvedAfter: number[] = [];
      const saves = Array.from({ length: 200 }, (_, i) =>
        wal.save({ term: 1, vote: 1, commit: i }, [entry(i + 1)], true).then(() => {
          resolvedAfter[i] = wal.stats.syncs;
        }),
      );
      await new Promise((r) => setTimeout(r, 20));
      expect(resolvedAfter.filter((x) => x !== undefined)).toEqual([]); // nothing durable yet
      first.open();
      await Promise.all(saves);
      const syncs = wal.stats.syncs - syncsBefore;
      expect(syncs).toBeLessThanOrEqual(3);
      expect(wal.stats.batches).toBeLessThanOrEqual(3);
      expect(resolvedAfter.every((n) => n > syncsBefore)).toBe(true);
      await wal.close();
      const again = await openWal(dir, { logger: recordingLogger() });
      expect(again.state.entries.length).toBe(200);
      expect(again.state.hardState.commit).toBe(199);
      await again.wal.close();
    }));

  it("does not fdatasync when no save in the batch asks for it", () =>
    withTempDir(async (dir) => {
      const { wal } = await openWal(dir, { logger: recordingLogger() });
      const before = wal.stats.syncs;
      await wal.save({ term: 1, vote: 0, commit: 0 }, [], false);
      expect(wal.stats.syncs).toBe(before);
      await wal.save(undefined, [entry(1)], true);
      expect(wal.stats.syncs).toBe(before + 1);
      await wal.close();
    }));

  it("splits a large backlog into batches of at most batchBytesMax", () =>
    withTempDir(async (dir) => {
      const { wal } = await openWal(dir, { logger: recordingLogger(), batchBytesMax: 1000 });
      const saves = Array.from({ length: 20 }, (_, i) =>
        wal.save(undefined, [entry(i + 1, 1, "y".repeat(200))], true),
      );
      await Promise.all(saves);
      expect(wal.stats.batches).toBeGreaterThanOrEqual(5);
      await wal.close();
    }));
});

describe("I/O errors", () => {
  for (const hook of ["beforeWrite", "beforeSync"] as const) {
    it(`an error ${hook} rejects every pending save and closes the WAL`, () =>
      withTempDir(async (dir) => {
        let armed = false;
        const hooks = {
          [hook]: () => {
            if (armed) throw new Error("EIO: injected disk failure");
          },
        };
        const { wal } = await openWal(dir, { logger: recordingLogger(), hooks });
        await wal.save(undefined, [entry(1)], true);
        armed = true;
        const results = await Promise.allSettled([2, 3, 4].map((i) => wal.save(undefined, [entry(i)], true)));
        for (const r of results) {
          expect(r.status).toBe("rejected");
          expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "wal-closed", message: /EIO/ });
        }
        await expect(wal.save(undefined, [entry(5)], true)).rejects.toMatchObject({ code: "wal-closed" });
        await wal.close();
        const again = await openWal(dir, { logger: recordingLogger() });
        // Entry 1 was acknowledged and must be there; 2..4 were never acknowledged.
        expect(ids(again.state.entries).slice(0, 1)).toEqual(["1/1"]);
        await again.wal.close();
      }));
  }
});
