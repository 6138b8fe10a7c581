import { describe, expect, it } from "vitest";
import { EntryType } from "../src/index.ts";
import { Invariants, InvariantViolation } from "./invariants.ts";
import { decodeCommand, encodeCommand, KvStateMachine } from "./kv-state-machine.ts";
import { Prng } from "./prng.ts";
import { SimDisk } from "./sim-disk.ts";

const entry = (index: number, term: number, byte = 0) => ({
  index,
  term,
  type: EntryType.Normal,
  data: new Uint8Array([byte]),
});

describe("prng", () => {
  it("is a pure function of the seed", () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const xs = Array.from({ length: 8 }, () => a.next());
    expect(Array.from({ length: 8 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 8 }, () => c.next())).not.toEqual(xs);
    for (let i = 0; i < 1000; i++) expect(a.intn(7)).toBeLessThan(7);
  });
});

describe("simulated disk", () => {
  it("keeps synced writes and may lose unsynced ones in a crash", () => {
    const disk = new SimDisk();
    disk.write({ kind: "entries", entries: [entry(1, 1), entry(2, 1)] });
    disk.write({ kind: "hard-state", hardState: { term: 1, vote: 1, commit: 0 } });
    disk.sync();
    disk.write({ kind: "hard-state", hardState: { term: 1, vote: 1, commit: 2 } });
    disk.write({ kind: "entries", entries: [entry(3, 1)] });
    // A rng whose every draw is 0 keeps no unsynced write.
    const zero = { intn: () => 0 } as unknown as Prng;
    expect(disk.crash(true, zero)).toBe(2);
    const { storage } = disk.load();
    expect(storage.lastIndex()).toBe(2);
    expect(storage.initialState().hardState.commit).toBe(0);
  });

  it("replays a conflicting append as a truncation, and a clean crash loses nothing", () => {
    const disk = new SimDisk();
    disk.write({ kind: "entries", entries: [entry(1, 1), entry(2, 1), entry(3, 1)] });
    disk.write({ kind: "entries", entries: [entry(2, 2)] });
    expect(disk.crash(false, new Prng(1))).toBe(0);
    const { storage } = disk.load();
    expect(storage.lastIndex()).toBe(2);
    expect(storage.term(2)).toBe(2);
  });
});

describe("key-value state machine", () => {
  it("applies a retried command once and answers it the same way", () => {
    const kv = new KvStateMachine();
    const cas = { client: 1, seq: 1, input: { kind: "cas", key: "k", expected: null, value: "a" } } as const;
    expect(kv.apply(decodeCommand(encodeCommand(cas)))).toEqual({ kind: "cas", ok: true });
    expect(kv.apply(cas)).toEqual({ kind: "cas", ok: true });
    expect(kv.get("k")).toBe("a");
    kv.apply({ client: 1, seq: 2, input: { kind: "put", key: "k", value: "b" } });
    expect(kv.apply(cas)).toBeUndefined(); // older than the client's last command
    const copy = KvStateMachine.restore(kv.snapshot());
    expect(copy.get("k")).toBe("b");
    expect(copy.digest).toBe(kv.digest);
  });
});

describe("invariants", () => {
  it("refuses two leaders in one term", () => {
    const inv = new Invariants();
    inv.onLeader(1, 5);
    inv.onLeader(1, 5);
    inv.onLeader(2, 6);
    expect(() => inv.onLeader(3, 6)).toThrow(InvariantViolation);
  });

  it("refuses a different entry applied at a committed index, and gaps", () => {
    const inv = new Invariants();
    inv.onApply(1, 0, entry(1, 1, 7));
    inv.onApply(2, 0, entry(1, 1, 7));
    expect(() => inv.onApply(3, 0, entry(1, 2, 7))).toThrow(/different entry/);
    expect(() => inv.onApply(3, 0, entry(1, 1, 8))).toThrow(/different entry/);
    expect(() => inv.onApply(3, 0, entry(2, 1))).toThrow(/applied 2 after 0/);
  });

  it("refuses diverging state machines", () => {
    const inv = new Invariants();
    inv.onDigest(1, 4, 123);
    expect(() => inv.onDigest(2, 4, 124)).toThrow(/differs/);
  });
});
