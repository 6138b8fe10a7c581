import { describe, expect, it } from "vitest";
import { ChangeHistory } from "./change-history.ts";
import type { Change, ChangeBatch } from "./changes.ts";

const batch = (version: number, changes = 1): ChangeBatch => ({
  version,
  timeMs: 0,
  changes: new Array<Change>(changes).fill({} as Change),
});

describe("change history", () => {
  it("finds the first batch after a version, across gaps in versions", () => {
    const history = new ChangeHistory({ batchesMax: 10, changesMax: 100 }, 0);
    for (const v of [2, 5, 9]) history.push(batch(v));
    expect(history.seqAfter(0)).toBe(0);
    expect(history.seqAfter(2)).toBe(1);
    expect(history.seqAfter(4)).toBe(1);
    expect(history.seqAfter(9)).toBe(3);
    expect(history.at(1)?.version).toBe(5);
  });

  it("drops the oldest batches past either limit and remembers how far back it reaches", () => {
    const history = new ChangeHistory({ batchesMax: 3, changesMax: 100 }, 0);
    for (let v = 1; v <= 5; v++) history.push(batch(v));
    expect(history.oldestVersion).toBe(2);
    expect(history.seqAfter(1)).toBeUndefined();
    expect(history.seqAfter(2)).toBe(2);
    expect(history.at(1)).toBeUndefined();
    expect(history.at(4)?.version).toBe(5);
  });

  it("always keeps the newest batch, however large", () => {
    const history = new ChangeHistory({ batchesMax: 10, changesMax: 5 }, 0);
    history.push(batch(1, 2));
    history.push(batch(2, 50));
    expect(history.size).toBe(1);
    expect(history.seqAfter(1)).toBe(1);
  });

  it("keeps working across many compactions", () => {
    const history = new ChangeHistory({ batchesMax: 100, changesMax: 1_000_000 }, 0);
    for (let v = 1; v <= 10_000; v++) history.push(batch(v));
    expect(history.size).toBe(100);
    expect(history.oldestVersion).toBe(9_900);
    expect(history.at(history.seqAfter(9_950) as number)?.version).toBe(9_951);
    expect(history.nextSeq).toBe(10_000);
  });

  it("starts over after a reset, with sequence numbers that keep increasing", () => {
    const history = new ChangeHistory({ batchesMax: 10, changesMax: 100 }, 0);
    history.push(batch(1));
    history.reset(50);
    expect(history.seqAfter(10)).toBeUndefined();
    expect(history.seqAfter(50)).toBe(1);
    history.push(batch(51));
    expect(history.at(1)?.version).toBe(51);
  });
});
