import { describe, expect, it } from "vitest";
import type { HistoryOp, KvValue } from "./kv-history.ts";
import { checkHistory } from "./linearizability.ts";
import { Prng } from "./prng.ts";

// Hand-written histories. Times are [call, ret]; a missing ret means the outcome is unknown.
let nextId = 0;
const put = (key: string, value: string, call: number, ret?: number, client = 0): HistoryOp => ({
  id: nextId++,
  client,
  input: { kind: "put", key, value },
  call,
  ...(ret === undefined ? {} : { ret, output: { kind: "put" } }),
});
const get = (key: string, value: KvValue, call: number, ret: number, client = 0): HistoryOp => ({
  id: nextId++,
  client,
  input: { kind: "get", key },
  call,
  ret,
  output: { kind: "get", value },
});
const cas = (
  key: string,
  expected: KvValue,
  value: string,
  ok: boolean | undefined,
  call: number,
  ret?: number,
): HistoryOp => ({
  id: nextId++,
  client: 0,
  input: { kind: "cas", key, expected, value },
  call,
  ...(ret === undefined || ok === undefined ? {} : { ret, output: { kind: "cas", ok } }),
});

const verdict = (h: HistoryOp[]) => checkHistory(h).verdict;

describe("linearizability checker: completed operations", () => {
  it("accepts the empty history", () => expect(verdict([])).toBe("ok"));
  it("accepts a read of the last write", () =>
    expect(verdict([put("x", "1", 0, 1), get("x", "1", 2, 3)])).toBe("ok"));
  it("rejects a stale read after the write returned", () =>
    expect(verdict([put("x", "1", 0, 1), get("x", null, 2, 3)])).toBe("violation"));
  it("accepts either value for a read concurrent with a write", () => {
    expect(verdict([put("x", "1", 0, 10), get("x", null, 1, 2)])).toBe("ok");
    expect(verdict([put("x", "1", 0, 10), get("x", "1", 1, 2)])).toBe("ok");
  });
  it("rejects a read that goes back in time while the write is still running", () =>
    expect(verdict([put("x", "1", 0, 10), get("x", "1", 1, 2), get("x", null, 3, 4)])).toBe("violation"));
  it("rejects a value nobody wrote", () => expect(verdict([get("x", "9", 0, 1)])).toBe("violation"));
  it("orders concurrent writes consistently for all readers", () => {
    const writes = [put("x", "a", 0, 10, 1), put("x", "b", 0, 10, 2)];
    expect(verdict([...writes, get("x", "a", 11, 12), get("x", "b", 13, 14)])).toBe("violation");
    expect(verdict([...writes, get("x", "a", 1, 2), get("x", "b", 3, 4), get("x", "b", 11, 12)])).toBe("ok");
  });
  it("checks compare-and-set against the current value", () => {
    expect(verdict([put("x", "a", 0, 1), cas("x", "a", "b", true, 2, 3), get("x", "b", 4, 5)])).toBe("ok");
    expect(verdict([put("x", "a", 0, 1), cas("x", "z", "b", true, 2, 3)])).toBe("violation");
    expect(verdict([put("x", "a", 0, 1), cas("x", "a", "b", false, 2, 3)])).toBe("violation");
    expect(verdict([cas("x", null, "b", true, 0, 1), get("x", "b", 2, 3)])).toBe("ok");
  });
  it("lets only one of two concurrent identical compare-and-sets succeed", () => {
    const base = put("x", "a", 0, 1);
    expect(verdict([base, cas("x", "a", "b", true, 2, 5), cas("x", "a", "c", true, 3, 6)])).toBe("violation");
    expect(verdict([base, cas("x", "a", "b", true, 2, 5), cas("x", "a", "c", false, 3, 6)])).toBe("ok");
  });
  it("keeps keys independent and names the failing key", () => {
    const r = checkHistory([
      put("x", "1", 0, 1),
      put("y", "2", 0, 1),
      get("x", "1", 2, 3),
      get("y", "1", 2, 3),
    ]);
    expect(r.verdict).toBe("violation");
    if (r.verdict === "violation") expect(r.key).toBe("y");
  });
});

describe("linearizability checker: operations with unknown outcome", () => {
  it("may take effect after the call", () =>
    expect(verdict([put("x", "1", 0), get("x", null, 1, 2), get("x", "1", 3, 4)])).toBe("ok"));
  it("may never take effect", () => expect(verdict([put("x", "1", 0), get("x", null, 5, 6)])).toBe("ok"));
  it("cannot take effect before it was called", () =>
    expect(verdict([get("x", "1", 0, 1), put("x", "1", 2)])).toBe("violation"));
  it("cannot be undone once observed", () =>
    expect(verdict([put("x", "1", 0), get("x", "1", 1, 2), get("x", null, 3, 4)])).toBe("violation"));
  it("treats an unknown compare-and-set as succeeded or not at all", () => {
    const base = put("x", "a", 0, 1);
    expect(verdict([base, cas("x", "a", "b", undefined, 2), get("x", "b", 5, 6)])).toBe("ok");
    expect(verdict([base, cas("x", "a", "b", undefined, 2), get("x", "a", 5, 6)])).toBe("ok");
    expect(verdict([base, cas("x", "z", "b", undefined, 2), get("x", "b", 5, 6)])).toBe("violation");
  });
});

describe("linearizability checker: budget and shrinking", () => {
  it("answers unknown, never ok, when the budget runs out", () => {
    const h: HistoryOp[] = [];
    for (let i = 0; i < 40; i++) h.push(put("x", `v${i}`, i, 1000 + i, i));
    h.push(get("x", "nobody", 2000, 2001));
    expect(checkHistory(h, { stepsMax: 1000 }).verdict).toBe("unknown");
  });
  it("decides histories full of unknown writes nobody observed, quickly", () => {
    const h: HistoryOp[] = [put("x", "seen", 0, 1)];
    for (let i = 0; i < 60; i++)
      h.push(put("x", `lost${i}`, 2 + i), cas("x", "seen", `lost-cas${i}`, undefined, 2 + i));
    h.push(get("x", "seen", 100, 101), cas("x", "other", "z", false, 102, 103));
    expect(checkHistory(h, { stepsMax: 20_000 }).verdict).toBe("ok");
    h.push(put("x", "late", 104, 105), get("x", "seen", 106, 107));
    expect(checkHistory(h, { stepsMax: 20_000 }).verdict).toBe("violation");
  });
  it("shrinks a violation to the ops that show it", () => {
    const h: HistoryOp[] = [];
    for (let i = 0; i < 30; i++)
      h.push(put("x", `v${i}`, i * 10, i * 10 + 5), get("x", `v${i}`, i * 10 + 6, i * 10 + 7));
    h.push(get("x", "v3", 400, 401)); // stale: v29 was written and read long before
    const r = checkHistory(h);
    expect(r.verdict).toBe("violation");
    if (r.verdict === "violation") {
      expect(r.minimal.length).toBeLessThanOrEqual(3);
      expect(checkHistory(r.minimal).verdict).toBe("violation");
    }
  });
});

/** A history produced by a real sequential execution with intervals drawn around each linearization point. */
function randomLinearizableHistory(rng: Prng, opCount: number): HistoryOp[] {
  const values = new Map<string, KvValue>();
  const h: HistoryOp[] = [];
  for (let i = 0; i < opCount; i++) {
    const key = rng.pick(["x", "y"]);
    const point = i * 10 + 5;
    const call = point - rng.between(0, 30);
    const ret = point + rng.between(0, 30);
    const cur = values.get(key) ?? null;
    const kind = rng.intn(3);
    const unknown = rng.chance(0.1);
    let op: HistoryOp;
    if (kind === 0) {
      op = put(key, `v${i}`, call, unknown ? undefined : ret);
      values.set(key, `v${i}`);
    } else if (kind === 1 || unknown) {
      op = get(key, cur, call, ret);
    } else {
      const expected = rng.chance(0.5) ? cur : `v${rng.intn(i + 1)}`;
      const ok = expected === cur;
      op = cas(key, expected, `v${i}`, ok, call, ret);
      if (ok) values.set(key, `v${i}`);
    }
    h.push({ ...op, id: i, client: i });
  }
  return h;
}

describe("linearizability checker: random histories", () => {
  it("accepts histories from real sequential executions and rejects them once a read is corrupted", () => {
    const rng = new Prng(7);
    for (let round = 0; round < 200; round++) {
      const h = randomLinearizableHistory(rng, 30);
      expect(checkHistory(h).verdict).toBe("ok");
      const reads = h.filter((op) => op.input.kind === "get");
      if (reads.length === 0) continue;
      const victim = rng.pick(reads);
      const corrupted = h.map((op) =>
        op === victim ? { ...op, output: { kind: "get" as const, value: "never-written" } } : op,
      );
      expect(checkHistory(corrupted).verdict).toBe("violation");
    }
  });
});
