/** MemoryStorage, the unstable log and RaftLog: the log's bookkeeping in isolation. */
import { describe, expect, it } from "vitest";
import { type Entry, EntryType } from "../types.ts";
import { limitSize } from "./entry-size.ts";
import { UnstableLog } from "./log-unstable.ts";
import { EMPTY_CONF_STATE, MemoryStorage } from "./memory-storage.ts";
import { RaftLog } from "./raft-log.ts";
import { raftErrorCode } from "./test-network.ts";

const ent = (index: number, term: number, size = 0): Entry => ({
  index,
  term,
  type: EntryType.Normal,
  data: new Uint8Array(size),
});
const terms = (es: readonly Entry[]) => es.map((e) => [e.index, e.term]);

describe("MemoryStorage", () => {
  it("appends, replaces a conflicting suffix, and reports compacted/unavailable ranges", () => {
    const s = new MemoryStorage();
    s.append([ent(1, 1), ent(2, 1), ent(3, 2)]);
    expect([s.firstIndex(), s.lastIndex(), s.term(3)]).toEqual([1, 3, 2]);
    s.append([ent(3, 3), ent(4, 3)]);
    expect(terms(s.entries(1, 5, Infinity))).toEqual([
      [1, 1],
      [2, 1],
      [3, 3],
      [4, 3],
    ]);
    expect(raftErrorCode(() => s.entries(2, 7, Infinity))).toBe("unavailable");
    s.createSnapshot(2, EMPTY_CONF_STATE, new Uint8Array([9]));
    s.compact(2);
    expect([s.firstIndex(), s.lastIndex(), s.term(2)]).toEqual([3, 4, 1]);
    expect(raftErrorCode(() => s.entries(2, 3, Infinity))).toBe("compacted");
    expect(raftErrorCode(() => s.term(1))).toBe("compacted");
    expect(raftErrorCode(() => s.compact(2))).toBe("compacted");
    // Appending entries that are partly compacted keeps only the new part.
    s.append([ent(2, 1), ent(3, 3), ent(4, 3), ent(5, 3)]);
    expect(s.lastIndex()).toBe(5);
  });

  it("limits entries by bytes but returns at least one", () => {
    const s = new MemoryStorage();
    s.append([ent(1, 1, 10), ent(2, 1, 10), ent(3, 1, 10)]);
    expect(s.entries(1, 4, 25)).toHaveLength(2);
    expect(s.entries(1, 4, 5)).toHaveLength(1);
    expect(limitSize([ent(1, 1, 100)], 1)).toHaveLength(1);
  });

  it("applies a newer snapshot, replacing the log, and refuses an older one", () => {
    const s = new MemoryStorage();
    s.append([ent(1, 1), ent(2, 1)]);
    const snap = { metadata: { index: 10, term: 3, confState: EMPTY_CONF_STATE }, data: new Uint8Array() };
    s.applySnapshot(snap);
    expect([s.firstIndex(), s.lastIndex(), s.term(10)]).toEqual([11, 10, 3]);
    expect(raftErrorCode(() => s.applySnapshot({ ...snap, metadata: { ...snap.metadata, index: 5 } }))).toBe(
      "snapshot-out-of-date",
    );
    expect(raftErrorCode(() => s.createSnapshot(10, EMPTY_CONF_STATE, new Uint8Array()))).toBe(
      "snapshot-out-of-date",
    );
  });
});

describe("UnstableLog", () => {
  it("truncates and appends at, before and inside its entries", () => {
    const u = new UnstableLog(5);
    u.truncateAndAppend([ent(5, 1), ent(6, 1)]);
    u.truncateAndAppend([ent(7, 1)]); // directly after
    expect(terms(u.entries)).toEqual([
      [5, 1],
      [6, 1],
      [7, 1],
    ]);
    u.truncateAndAppend([ent(6, 2)]); // inside: truncate 6..7
    expect(terms(u.entries)).toEqual([
      [5, 1],
      [6, 2],
    ]);
    u.truncateAndAppend([ent(4, 3)]); // before the offset: replace everything
    expect([u.offset, ...terms(u.entries)]).toEqual([4, [4, 3]]);
  });

  it("stableTo drops entries only when the term still matches", () => {
    const u = new UnstableLog(1);
    u.truncateAndAppend([ent(1, 1), ent(2, 1)]);
    u.stableTo(1, 2); // stale: term differs
    expect(u.entries).toHaveLength(2);
    u.stableTo(1, 1);
    expect([u.offset, u.entries.length]).toEqual([2, 1]);
  });
});

describe("RaftLog", () => {
  function logWith(es: Entry[]): RaftLog {
    const s = new MemoryStorage();
    s.append(es);
    return new RaftLog(s, Infinity);
  }

  it("maybeAppend accepts matching appends, truncates conflicts and refuses mismatches", () => {
    const log = logWith([ent(1, 1), ent(2, 2), ent(3, 3)]);
    expect(log.maybeAppend(3, 2, 3, [ent(4, 4)])).toBeUndefined(); // (3,2) does not match
    expect(log.maybeAppend(1, 1, 2, [ent(2, 4), ent(3, 4)])).toBe(3); // conflict at 2
    expect(terms(log.slice(1, 4, Infinity))).toEqual([
      [1, 1],
      [2, 4],
      [3, 4],
    ]);
    expect(log.committed).toBe(2);
    expect(() => log.maybeAppend(0, 0, 0, [ent(1, 5)])).toThrow(/conflicts with committed/);
  });

  it("commits only entries of the given term, never beyond the log, never backwards", () => {
    const log = logWith([ent(1, 1), ent(2, 2)]);
    expect(log.maybeCommit(2, 1)).toBe(false);
    expect(log.maybeCommit(2, 2)).toBe(true);
    log.commitTo(1);
    expect(log.committed).toBe(2);
    expect(() => log.commitTo(3)).toThrow(/beyond the last index/);
  });

  it("findConflictByTerm finds the last index at or below a term", () => {
    const log = logWith([ent(1, 1), ent(2, 1), ent(3, 4), ent(4, 4), ent(5, 5)]);
    expect(log.findConflictByTerm(5, 4)).toEqual([4, 4]);
    expect(log.findConflictByTerm(5, 3)).toEqual([2, 1]);
    expect(log.findConflictByTerm(5, 0)).toEqual([0, 0]);
  });

  it("isUpToDate compares last term then last index (§5.4.1)", () => {
    const log = logWith([ent(1, 1), ent(2, 2)]);
    expect(log.isUpToDate(1, 3)).toBe(true);
    expect(log.isUpToDate(2, 2)).toBe(true);
    expect(log.isUpToDate(1, 2)).toBe(false);
    expect(log.isUpToDate(9, 1)).toBe(false);
  });

  it("hands out committed entries once each, bounded in bytes", () => {
    const s = new MemoryStorage();
    s.append([ent(1, 1, 10), ent(2, 1, 10), ent(3, 1, 10)]);
    const log = new RaftLog(s, 15);
    log.commitTo(3);
    expect(terms(log.nextCommittedEnts())).toEqual([[1, 1]]);
    log.acceptApplying(1);
    expect(terms(log.nextCommittedEnts())).toEqual([[2, 1]]);
    log.appliedTo(3);
    expect(log.hasNextCommittedEnts()).toBe(false);
  });
});
