import { describe, expect, it } from "vitest";
import { applyDeltas, type ListDelta } from "./list-patch.ts";

const item = (id: string, n = 0) => ({ id, n });
const delta = (version: number, action: ListDelta["action"], id: string, n = 0): ListDelta => ({
  version,
  action,
  id,
  object: item(id, n),
});

describe("applyDeltas", () => {
  it("applies every change of one transaction (several deltas at the same version)", () => {
    const list = { version: 10, items: [item("a"), item("b"), item("c")] };
    const next = applyDeltas(list, [delta(11, "update", "a", 1), delta(11, "update", "c", 1)]);
    expect(next).toEqual({ version: 11, items: [item("a", 1), item("b"), item("c", 1)] });
    expect(list.items).toEqual([item("a"), item("b"), item("c")]);
  });

  it("creates, updates and deletes in arrival order across batches", () => {
    let list = { version: 1, items: [item("a"), item("b")] };
    list = applyDeltas(list, [delta(2, "create", "c"), delta(3, "update", "c", 5), delta(3, "delete", "a")]);
    expect(list).toEqual({ version: 3, items: [item("b"), item("c", 5)] });
    list = applyDeltas(list, [delta(4, "update", "c", 6), delta(4, "create", "d")]);
    expect(list).toEqual({ version: 4, items: [item("b"), item("c", 6), item("d")] });
  });

  it("skips deltas older than the list and returns the same list when nothing is newer", () => {
    const list = { version: 5, items: [item("a", 2)] };
    expect(applyDeltas(list, [delta(4, "update", "a", 1)])).toBe(list);
    expect(applyDeltas(list, [delta(4, "delete", "a"), delta(6, "update", "a", 3)])).toEqual({
      version: 6,
      items: [item("a", 3)],
    });
  });
});
