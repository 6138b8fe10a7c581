import { deepFreeze } from "./deep-freeze.ts";
import { StoreError } from "./errors.ts";
import { jsonEqual } from "./json-equal.ts";
import { isObjectKind, type ObjectKind, type StoreObject } from "./objects/kinds.ts";
import type { Operation, Transaction } from "./operations.ts";

/** First byte of every encoded transaction; a new encoding gets a new tag. */
export const TX_FORMAT_JSON_DELTA = 1;

/**
 * Encoding (format 1): the tag byte, then UTF-8 JSON
 *   { "t": timeMs, "a"?: actor, "b": { kind: baseObject }, "o": [ ["c"|"u", kind, delta] | ["d", kind, id, version] ] }
 * The first object of each kind in the transaction is its base; every create or update carries
 * only the top-level fields that differ from the base (`null` = absent). Tasks made together
 * differ in id and slot only, so a task costs ~60 bytes instead of ~1 KB, and decoding shares
 * the unchanged parts (spec, status...) between objects, which is safe because stored objects are
 * frozen. Deterministic: the same operations always give the same bytes.
 */
export class TransactionEncoder {
  private readonly bases = new Map<ObjectKind, Base>();
  private readonly baseStrings: string[] = [];
  private readonly opStrings: string[] = [];
  private bytes: number;

  private readonly header: string;

  constructor(timeMs: number, actor?: string) {
    this.header = `{"t":${timeMs}${actor === undefined ? "" : `,"a":${JSON.stringify(actor)}`}`;
    this.bytes = OVERHEAD_BYTES + byteLengthOf(this.header);
  }

  get opCount(): number {
    return this.opStrings.length;
  }

  /** Bytes the transaction takes if finished now. */
  get byteLength(): number {
    // `bytes` counts a separator after every base and op; the last of each list has none.
    return this.bytes - (this.opStrings.length > 0 ? 1 : 0) - (this.baseStrings.length > 0 ? 1 : 0);
  }

  /**
   * Adds the operation unless the transaction already holds some and would then be over
   * `bytesMax`; returns whether it was added. A first operation is always added.
   */
  tryAdd(op: Operation, bytesMax = Number.POSITIVE_INFINITY): boolean {
    const kind = JSON.stringify(op.kind);
    if (op.op === "delete") {
      return this.commit(`["d",${kind},${JSON.stringify(op.id)},${op.version}]`, bytesMax);
    }
    const code = op.op === "create" ? '"c"' : '"u"';
    const known = this.bases.get(op.kind);
    const base = known ?? { object: op.object };
    const text = `[${code},${kind},${encodeDelta(op.object, base)}]`;
    if (known !== undefined) return this.commit(text, bytesMax);
    const baseText = `${kind}:${JSON.stringify(op.object)}`;
    if (!this.commit(text, bytesMax, byteLengthOf(baseText) + 1)) return false;
    this.bases.set(op.kind, base);
    this.baseStrings.push(baseText);
    return true;
  }

  finish(): Uint8Array {
    const text = `${this.header},"b":{${this.baseStrings.join(",")}},"o":[${this.opStrings.join(",")}]}`;
    const body = textEncoder.encode(text);
    const out = new Uint8Array(body.length + 1);
    out[0] = TX_FORMAT_JSON_DELTA;
    out.set(body, 1);
    return out;
  }

  private commit(text: string, bytesMax: number, extraBytes = 0): boolean {
    const cost = byteLengthOf(text) + 1 + extraBytes;
    if (this.opStrings.length > 0 && this.bytes + cost > bytesMax) return false;
    this.opStrings.push(text);
    this.bytes += cost;
    return true;
  }
}

interface Base {
  readonly object: StoreObject;
}

function byteLengthOf(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** Bytes of the fixed parts of the JSON envelope after the header (`,"b":{` `},"o":[` `]}`) plus the tag byte. */
const OVERHEAD_BYTES = 16;

function encodeDelta(object: StoreObject, base: Base): string {
  const parts: string[] = [];
  const o = object as unknown as Record<string, unknown>;
  const b = base.object as unknown as Record<string, unknown>;
  for (const key in o) {
    const value = o[key];
    if (value === undefined || jsonEqual(value, b[key])) continue;
    parts.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
  }
  for (const key in b) {
    if (b[key] !== undefined && o[key] === undefined) parts.push(`${JSON.stringify(key)}:null`);
  }
  return `{${parts.join(",")}}`;
}

/**
 * Decodes what TransactionEncoder made. Every value inside the objects comes back frozen (the
 * parts shared with the base are frozen once); the objects themselves are left open for apply to
 * stamp version and times, then freeze. Throws StoreError "invalid-transaction" on bad bytes.
 */
export function decodeTransaction(data: Uint8Array): Transaction {
  if (data.length === 0 || data[0] !== TX_FORMAT_JSON_DELTA) {
    throw invalid(`unknown transaction format ${data[0] ?? "(empty)"}`);
  }
  let raw: { t?: unknown; a?: unknown; b?: unknown; o?: unknown };
  try {
    raw = JSON.parse(textDecoder.decode(data.subarray(1)));
  } catch (e) {
    throw invalid(`transaction is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof raw?.t !== "number" || !isRecord(raw.b) || !Array.isArray(raw.o) || !isOptionalString(raw.a)) {
    throw invalid("transaction lacks t, b or o");
  }
  const bases = raw.b as Record<string, Record<string, unknown>>;
  for (const kind in bases) deepFreeze(bases[kind]);
  const ops: Operation[] = new Array(raw.o.length);
  for (let i = 0; i < raw.o.length; i++) ops[i] = decodeOp(raw.o[i], bases);
  return raw.a === undefined ? { timeMs: raw.t, ops } : { timeMs: raw.t, actor: raw.a as string, ops };
}

function decodeOp(raw: unknown, bases: Record<string, Record<string, unknown>>): Operation {
  if (!Array.isArray(raw) || !isObjectKind(raw[1])) throw invalid("an operation is malformed");
  const kind: ObjectKind = raw[1];
  if (raw[0] === "d") {
    if (typeof raw[2] !== "string" || typeof raw[3] !== "number") throw invalid("a delete is malformed");
    return { op: "delete", kind, id: raw[2], version: raw[3] };
  }
  const base = bases[kind];
  if ((raw[0] !== "c" && raw[0] !== "u") || !isRecord(raw[2]) || !isRecord(base)) {
    throw invalid("a create or update is malformed");
  }
  const delta = raw[2];
  const object: Record<string, unknown> = { ...base, ...delta };
  for (const key in delta) {
    const value = delta[key];
    if (value === null) delete object[key];
    else if (typeof value === "object") deepFreeze(value);
  }
  if (typeof object.id !== "string") throw invalid("an object has no id");
  return { op: raw[0] === "c" ? "create" : "update", kind, object: object as unknown as StoreObject };
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === "string";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function invalid(message: string): StoreError {
  return new StoreError("invalid-transaction", message);
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();
