import { randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openWal } from "./open-wal.ts";
import { aesGcmRecordCipher } from "./record-cipher.ts";
import { entries, entry, ids, recordingLogger, segmentPaths, snapshot, withTempDir } from "./test-helpers.ts";

const SECRET = "secret-service-name";

async function diskBytes(dir: string): Promise<Buffer> {
  const snaps = (await readdir(join(dir, "snap"))).map((n) => join(dir, "snap", n));
  const files = [...(await segmentPaths(dir)), ...snaps];
  return Buffer.concat(await Promise.all(files.map((f) => readFile(f))));
}

describe("WAL encryption at rest", () => {
  it("round-trips entries and snapshots, and no plaintext reaches the disk", () =>
    withTempDir(async (dir) => {
      const cipher = aesGcmRecordCipher(randomBytes(32));
      const { wal } = await openWal(dir, { logger: recordingLogger(), cipher });
      await wal.save({ term: 1, vote: 1, commit: 2 }, [entry(1, 1, SECRET), entry(2, 1, SECRET)], true);
      await wal.saveSnapshot(snapshot(2, 1, `state with ${SECRET}`));
      await wal.save({ term: 1, vote: 1, commit: 3 }, [entry(3, 1, SECRET)], true);
      await wal.close();
      expect((await diskBytes(dir)).includes(SECRET)).toBe(false);

      const { wal: again, state } = await openWal(dir, { logger: recordingLogger(), cipher });
      expect(new TextDecoder().decode(state.snapshot?.data)).toBe(`state with ${SECRET}`);
      expect(ids(state.entries)).toEqual(["1/3"]);
      expect(new TextDecoder().decode(state.entries[0]?.data)).toBe(SECRET);
      await again.close();
    }));

  it("refuses to open without the key, or with another key, as wal-locked", () =>
    withTempDir(async (dir) => {
      const { wal } = await openWal(dir, {
        logger: recordingLogger(),
        cipher: aesGcmRecordCipher(randomBytes(32)),
      });
      await wal.save({ term: 1, vote: 1, commit: 1 }, entries(1, 2), true);
      await wal.close();
      await expect(openWal(dir, { logger: recordingLogger() })).rejects.toMatchObject({ code: "wal-locked" });
      await expect(
        openWal(dir, { logger: recordingLogger(), cipher: aesGcmRecordCipher(randomBytes(32)) }),
      ).rejects.toMatchObject({ code: "wal-locked" });
    }));

  it("reads a WAL written plain, and one holding plain records followed by encrypted ones", () =>
    withTempDir(async (dir) => {
      const plain = await openWal(dir, { logger: recordingLogger() });
      await plain.wal.save({ term: 1, vote: 1, commit: 1 }, [entry(1, 1, SECRET)], true);
      await plain.wal.close();
      const cipher = aesGcmRecordCipher(randomBytes(32));
      const mixed = await openWal(dir, { logger: recordingLogger(), cipher });
      expect(ids(mixed.state.entries)).toEqual(["1/1"]);
      await mixed.wal.save({ term: 1, vote: 1, commit: 2 }, [entry(2)], true);
      await mixed.wal.close();
      const { wal, state } = await openWal(dir, { logger: recordingLogger(), cipher });
      expect(ids(state.entries)).toEqual(["1/1", "1/2"]);
      expect(state.hardState.commit).toBe(2);
      await wal.close();
    }));

  it("a tampered encrypted record is not believed", () =>
    withTempDir(async (dir) => {
      const cipher = aesGcmRecordCipher(randomBytes(32));
      const { wal } = await openWal(dir, { logger: recordingLogger(), cipher });
      await wal.save({ term: 1, vote: 1, commit: 1 }, entries(1, 1), true);
      await wal.close();
      expect(cipher.open(cipher.seal(Buffer.from("x"))).toString()).toBe("x");
      const sealed = cipher.seal(Buffer.from("hello"));
      sealed[14] = (sealed[14] as number) ^ 1;
      expect(() => cipher.open(sealed)).toThrow(/does not open/);
    }));
});
