/**
 * A client history of key-value operations, and the sequential specification they are checked
 * against. Time is a strictly increasing event counter shared by all clients, so "a returned
 * before b was called" is simply `a.ret < b.call`.
 */

export type KvInput =
  | { readonly kind: "put"; readonly key: string; readonly value: string }
  | { readonly kind: "get"; readonly key: string }
  | { readonly kind: "cas"; readonly key: string; readonly expected: string | null; readonly value: string };

export type KvOutput =
  | { readonly kind: "put" }
  | { readonly kind: "get"; readonly value: string | null }
  | { readonly kind: "cas"; readonly ok: boolean };

/**
 * One client operation. `ret`/`output` are absent when the outcome is unknown (the client timed
 * out or crashed): the operation may have taken effect at any point after `call`, or never.
 */
export interface HistoryOp {
  readonly id: number;
  readonly client: number;
  readonly input: KvInput;
  readonly call: number;
  readonly ret?: number;
  readonly output?: KvOutput;
}

/** A key's value; null means absent. */
export type KvValue = string | null;

/**
 * Applies `op` to `state` if the op's recorded output is possible from it. Returns the next state,
 * or undefined if the op cannot be linearized here. Unknown-outcome ops only ever take their
 * effecting branch: an unknown failed cas or an unknown get is the same as never happening.
 */
export function stepKv(state: KvValue, op: HistoryOp): { next: KvValue } | undefined {
  const input = op.input;
  const out = op.output;
  switch (input.kind) {
    case "put":
      return { next: input.value };
    case "get":
      if (out === undefined) return { next: state };
      return out.kind === "get" && out.value === state ? { next: state } : undefined;
    case "cas": {
      const matches = state === input.expected;
      if (out === undefined) return matches ? { next: input.value } : undefined;
      if (out.kind !== "cas") return undefined;
      if (out.ok) return matches ? { next: input.value } : undefined;
      return matches ? undefined : { next: state };
    }
  }
}

export function isUnknown(op: HistoryOp): boolean {
  return op.ret === undefined;
}

export function describeOp(op: HistoryOp): string {
  const i = op.input;
  const args =
    i.kind === "put"
      ? `put(${i.key}, ${i.value})`
      : i.kind === "get"
        ? `get(${i.key})`
        : `cas(${i.key}, ${String(i.expected)} → ${i.value})`;
  const o = op.output;
  const result =
    o === undefined
      ? "?"
      : o.kind === "put"
        ? "ok"
        : o.kind === "get"
          ? String(o.value)
          : o.ok
            ? "ok"
            : "fail";
  const ret = op.ret === undefined ? "∞" : String(op.ret);
  return `#${op.id} c${op.client} [${op.call}, ${ret}] ${args} → ${result}`;
}

/** Groups a history by key (P-compositionality: a history is linearizable iff each key's is). */
export function partitionByKey(history: readonly HistoryOp[]): Map<string, HistoryOp[]> {
  const byKey = new Map<string, HistoryOp[]>();
  for (const op of history) {
    const list = byKey.get(op.input.key);
    if (list === undefined) byKey.set(op.input.key, [op]);
    else list.push(op);
  }
  return byKey;
}
