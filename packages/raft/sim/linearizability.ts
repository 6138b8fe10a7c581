/**
 * Linearizability checker for key-value histories: Wing & Gong's search with Lowe's memoisation
 * (a cache of (linearized set, model state) pairs already explored), run per key
 * (P-compositionality). An op with an unknown outcome has no return event, so it may be
 * linearized anywhere after its call, or never; the search succeeds once every completed op is
 * linearized.
 *
 * A search that exceeds its step or time budget answers "unknown", never "ok".
 */
import { assert } from "../src/index.ts";
import { type HistoryOp, isUnknown, type KvValue, partitionByKey, stepKv } from "./kv-history.ts";

export interface CheckBudget {
  /** Search steps allowed per key before answering "unknown". */
  readonly stepsMax: number;
  /** Wall-clock limit for the whole check; undefined means none (fully deterministic). */
  readonly timeMs?: number;
}

export const DEFAULT_CHECK_BUDGET: CheckBudget = { stepsMax: 2_000_000 };

export type CheckResult =
  | { readonly verdict: "ok"; readonly steps: number }
  | { readonly verdict: "unknown"; readonly steps: number; readonly key: string }
  | {
      readonly verdict: "violation";
      readonly steps: number;
      readonly key: string;
      /** A smallest-found sub-history of that key that is still not linearizable. */
      readonly minimal: readonly HistoryOp[];
    };

type KeyVerdict = { verdict: "ok" | "violation" | "unknown"; steps: number };

export function checkHistory(history: readonly HistoryOp[], budget = DEFAULT_CHECK_BUDGET): CheckResult {
  const deadline = budget.timeMs === undefined ? Number.POSITIVE_INFINITY : performance.now() + budget.timeMs;
  let steps = 0;
  let unknownKey: string | undefined;
  const keys = [...partitionByKey(history)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, ops] of keys) {
    const r = checkKey(ops, budget.stepsMax, deadline);
    steps += r.steps;
    if (r.verdict === "violation") {
      const minimal = shrink(ops, budget.stepsMax);
      return { verdict: "violation", steps, key, minimal };
    }
    if (r.verdict === "unknown") unknownKey ??= key;
  }
  if (unknownKey !== undefined) return { verdict: "unknown", steps, key: unknownKey };
  return { verdict: "ok", steps };
}

/**
 * Greedy shrinking: drop chunks, then single ops, while the rest still fails to linearize. Checks
 * that run out of budget count as "does not fail", so the result is always a proven violation.
 */
export function shrink(ops: readonly HistoryOp[], stepsMax: number): HistoryOp[] {
  let current = [...ops];
  const fails = (candidate: HistoryOp[]) =>
    candidate.length > 0 &&
    observesOnlyWrittenValues(candidate) &&
    checkKey(candidate, stepsMax, Number.POSITIVE_INFINITY).verdict === "violation";
  // A history that reads a value nobody wrote is its own smallest witness.
  if (!observesOnlyWrittenValues(current)) return current.filter((op) => !observesOnlyWrittenValues([op]));
  assert(fails(current), "shrink starts from a violation");
  for (let chunk = Math.floor(current.length / 2); chunk > 1; chunk = Math.floor(chunk / 2)) {
    for (let start = current.length - chunk; start >= 0; start -= chunk) {
      const candidate = [...current.slice(0, start), ...current.slice(start + chunk)];
      if (fails(candidate)) current = candidate;
    }
  }
  // Single removals until nothing more can go: the result is 1-minimal. Bounded by ops.length passes.
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = current.length - 1; i >= 0; i--) {
      const candidate = [...current.slice(0, i), ...current.slice(i + 1)];
      if (fails(candidate)) {
        current = candidate;
        changed = true;
      }
    }
  }
  return current.sort((a, b) => a.call - b.call);
}

/**
 * Shrinking must not fabricate a violation by dropping the write a read observed: every value a
 * remaining op saw (a read's result, a successful cas's expected value) must still be written.
 */
function observesOnlyWrittenValues(ops: readonly HistoryOp[]): boolean {
  const written = new Set<string>();
  for (const op of ops) if (op.input.kind !== "get") written.add(op.input.value);
  for (const op of ops) {
    const out = op.output;
    if (out?.kind === "get" && out.value !== null && !written.has(out.value)) return false;
    if (op.input.kind === "cas" && out?.kind === "cas" && out.ok && op.input.expected !== null) {
      if (!written.has(op.input.expected)) return false;
    }
  }
  return true;
}

interface Node {
  readonly op: number; // index into ops; -1 for the head sentinel
  readonly isCall: boolean;
  match: Node | undefined; // a call's return node (undefined for unknown-outcome ops)
  prev: Node | undefined;
  next: Node | undefined;
}

function buildList(ops: readonly HistoryOp[]): Node {
  const events: { time: number; node: Node }[] = [];
  ops.forEach((op, i) => {
    const call: Node = { op: i, isCall: true, match: undefined, prev: undefined, next: undefined };
    events.push({ time: op.call, node: call });
    if (!isUnknown(op)) {
      assert(op.ret! >= op.call, "an op returns after it is called");
      const ret: Node = { op: i, isCall: false, match: undefined, prev: undefined, next: undefined };
      call.match = ret;
      events.push({ time: op.ret!, node: ret });
    }
  });
  // At equal times a call sorts before a return: such ops are treated as concurrent.
  events.sort((x, y) => x.time - y.time || Number(x.node.isCall === false) - Number(y.node.isCall === false));
  const head: Node = { op: -1, isCall: false, match: undefined, prev: undefined, next: undefined };
  let tail = head;
  for (const { node } of events) {
    tail.next = node;
    node.prev = tail;
    tail = node;
  }
  return head;
}

function lift(call: Node): void {
  call.prev!.next = call.next;
  if (call.next !== undefined) call.next.prev = call.prev;
  const ret = call.match;
  if (ret !== undefined) {
    ret.prev!.next = ret.next;
    if (ret.next !== undefined) ret.next.prev = ret.prev;
  }
}

function unlift(call: Node): void {
  const ret = call.match;
  if (ret !== undefined) {
    ret.prev!.next = ret;
    if (ret.next !== undefined) ret.next.prev = ret;
  }
  call.prev!.next = call;
  if (call.next !== undefined) call.next.prev = call;
}

/** Stands for every value no operation ever observed; they are indistinguishable to the model. */
const UNOBSERVED = "\u0000unobserved";

/**
 * Rewrites a key's history so every write of a value nobody observed (no read returned it, no
 * cas expected it) writes UNOBSERVED instead. Values are unique per write, so this changes no
 * verdict, but it lets the cache merge states. Also returns, for each unknown-outcome write of
 * an unobserved value, its interchangeability class: two such writes of one class that have both
 * been called lead to identical futures, so the search tries only one of them per search node.
 */
function canonicalize(ops: readonly HistoryOp[]): { ops: HistoryOp[]; classes: (string | undefined)[] } {
  const observed = new Set<string>();
  for (const op of ops) {
    if (op.output?.kind === "get" && op.output.value !== null) observed.add(op.output.value);
    if (op.input.kind === "cas" && op.input.expected !== null) observed.add(op.input.expected);
  }
  const classes: (string | undefined)[] = [];
  const out = ops.map((op) => {
    const input = op.input;
    if (input.kind === "get" || observed.has(input.value)) {
      classes.push(undefined);
      return op;
    }
    classes.push(
      isUnknown(op) ? (input.kind === "put" ? "put" : `cas:${String(input.expected)}`) : undefined,
    );
    return { ...op, input: { ...input, value: UNOBSERVED } };
  });
  return { ops: out, classes };
}

/** Decides one key's history. */
export function checkKey(ops: readonly HistoryOp[], stepsMax: number, deadline: number): KeyVerdict {
  // An unknown get has no effect and no observable result: it never constrains anything.
  const { ops: live, classes } = canonicalize(
    ops.filter((op) => !(isUnknown(op) && op.input.kind === "get")),
  );
  const head = buildList(live);
  const linearized = new Uint32Array(Math.ceil(live.length / 32) + 1);
  const cache = new Set<string>();
  const stack: { call: Node; before: KvValue; tried: Set<string> | undefined }[] = [];
  // Classes of interchangeable unknown writes already tried at the current search node.
  let tried: Set<string> | undefined;
  let remaining = live.filter((op) => !isUnknown(op)).length;
  let state: KvValue = null;
  let entry = head.next;
  let steps = 0;
  for (;;) {
    if (remaining === 0) return { verdict: "ok", steps };
    steps++;
    if (steps > stepsMax) return { verdict: "unknown", steps };
    if ((steps & 0x3ff) === 0 && performance.now() > deadline) return { verdict: "unknown", steps };
    assert(entry !== undefined, "a completed op's return event is still in the list");
    if (entry.isCall) {
      const op = live[entry.op]!;
      const cls = classes[entry.op];
      // An unknown write that changes nothing, or whose twin was already tried here, is dominated.
      const dominated: boolean = cls !== undefined && (state === UNOBSERVED || tried?.has(cls) === true);
      const r: { next: KvValue } | undefined = dominated ? undefined : stepKv(state, op);
      if (r !== undefined) {
        const word = entry.op >>> 5;
        const bit = 1 << (entry.op & 31);
        linearized[word]! |= bit;
        const key = `${linearized.join(",")}|${r.next === null ? "\u0000" : r.next}`;
        if (!cache.has(key)) {
          cache.add(key);
          if (cls !== undefined) {
            tried ??= new Set();
            tried.add(cls);
          }
          stack.push({ call: entry, before: state, tried });
          tried = undefined;
          state = r.next;
          lift(entry);
          if (!isUnknown(op)) remaining--;
          entry = head.next;
          continue;
        }
        linearized[word]! &= ~bit;
      }
      entry = entry.next;
      continue;
    }
    // A return event: its op was not linearized in time. Undo the last choice.
    const top = stack.pop();
    if (top === undefined) return { verdict: "violation", steps };
    const op = live[top.call.op]!;
    state = top.before;
    tried = top.tried;
    linearized[top.call.op >>> 5]! &= ~(1 << (top.call.op & 31));
    unlift(top.call);
    if (!isUnknown(op)) remaining++;
    entry = top.call.next;
  }
}
