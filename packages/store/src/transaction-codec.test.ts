import { describe, expect, it } from "vitest";
import type { StoreObject } from "./objects/kinds.ts";
import { TaskState } from "./objects/task-state.ts";
import type { Operation } from "./operations.ts";
import { makeTask, makeTaskSpec } from "./testing/fixtures.ts";
import { decodeTransaction, TransactionEncoder } from "./transaction-codec.ts";

const stored = (o: object) => ({ version: 0, createdAtMs: 0, updatedAtMs: 0, ...o }) as StoreObject;
const id = (n: number) => String(n).padStart(25, "0");

function roundTrip(ops: Operation[]) {
  const encoder = new TransactionEncoder(77);
  for (const op of ops) expect(encoder.tryAdd(op)).toBe(true);
  const bytes = encoder.finish();
  expect(bytes.length).toBe(encoder.byteLength);
  return { bytes, tx: decodeTransaction(bytes) };
}

describe("transaction encoding", () => {
  it("round-trips creates, updates and deletes, including fields that differ from the base", () => {
    const spec = makeTaskSpec();
    const a = stored({
      ...makeTask(id(1), id(9), 1, spec),
      endpoint: { spec: { mode: "vip", ports: [] }, ports: [], virtualIps: [] },
    });
    const b = stored({
      ...makeTask(id(2), id(9), 2, spec),
      status: { state: TaskState.Failed, message: "exit 1", timestampMs: 5 },
    });
    const c = stored({ ...makeTask(id(3), id(9), 3, makeTaskSpec("other:2")), version: 4 });
    const ops: Operation[] = [
      { op: "create", kind: "task", object: a },
      { op: "create", kind: "task", object: b },
      { op: "update", kind: "task", object: c },
      { op: "delete", kind: "node", id: id(4), version: 3 },
    ];
    const { tx } = roundTrip(ops);
    expect(tx.timeMs).toBe(77);
    expect(tx.ops).toEqual(ops);
    // b has no endpoint although its base (a) has one.
    expect("endpoint" in (tx.ops[1] as { object: object }).object).toBe(false);
  });

  it("is deterministic and compact for tasks made together", () => {
    const spec = makeTaskSpec();
    const ops: Operation[] = Array.from({ length: 1_000 }, (_, i) => ({
      op: "create" as const,
      kind: "task" as const,
      object: stored(makeTask(id(i), id(99_999), i + 1, spec)),
    }));
    const first = roundTrip(ops).bytes;
    expect(Buffer.from(roundTrip(ops).bytes).equals(Buffer.from(first))).toBe(true);
    expect(first.length / ops.length).toBeLessThan(80);
  });

  it("shares and freezes the unchanged parts of decoded objects", () => {
    const spec = makeTaskSpec();
    const { tx } = roundTrip([
      { op: "create", kind: "task", object: stored(makeTask(id(1), id(9), 1, spec)) },
      { op: "create", kind: "task", object: stored(makeTask(id(2), id(9), 2, spec)) },
    ]);
    const [x, y] = tx.ops.map((op) => (op as { object: { spec: object } }).object);
    expect(x?.spec).toBe(y?.spec);
    expect(Object.isFrozen(x?.spec)).toBe(true);
  });

  it("stops adding when the byte limit is reached, except for the first operation", () => {
    const encoder = new TransactionEncoder(1);
    const big = stored(makeTask(id(1), id(9), 1));
    expect(encoder.tryAdd({ op: "create", kind: "task", object: big }, 10)).toBe(true);
    expect(encoder.tryAdd({ op: "delete", kind: "task", id: id(2), version: 1 }, 10)).toBe(false);
    expect(encoder.opCount).toBe(1);
  });

  it("refuses malformed bytes with invalid-transaction", () => {
    for (const bytes of [
      [],
      [2, 123, 125],
      [1, 123],
      [1, ...new TextEncoder().encode('{"t":1,"b":{},"o":[["x","task",{}]]}')],
    ]) {
      expect(() => decodeTransaction(new Uint8Array(bytes))).toThrow(
        expect.objectContaining({ code: "invalid-transaction" }),
      );
    }
  });
});

describe("the actor", () => {
  it("travels with the transaction when given", () => {
    const encoder = new TransactionEncoder(5, "user:alice");
    encoder.tryAdd({ op: "delete", kind: "node", id: id(1), version: 2 });
    const bytes = encoder.finish();
    expect(bytes.length).toBe(encoder.byteLength);
    expect(decodeTransaction(bytes)).toMatchObject({ timeMs: 5, actor: "user:alice" });
  });
});
