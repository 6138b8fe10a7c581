import { type Diagnostic, diagnostic, type KeyPath, type Position, PositionIndex } from "./diagnostic.ts";
import { type Environment, interpolate } from "./interpolation.ts";
import { describeType, type KeySchema, type ScalarSchema } from "./key-schema.ts";
import { COMPOSE_KEY_TREE } from "./key-tree.ts";
import type { LocatedNode, LocatedScalar } from "./located-yaml.ts";
import { parseBytes, parseDurationMs, parseNanoCpus } from "./units.ts";

/** A validated value: JSON-like, durations in ms, sizes in bytes, CPUs in nano CPUs. */
export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

export interface ValidatedFile {
  value: { [key: string]: Plain };
  positions: PositionIndex;
  diagnostics: Diagnostic[];
}

/**
 * Checks one parsed stack file against the key tree: interpolates every scalar value, refuses
 * unknown keys and wrong types, warns about keys swarm ignores, and converts units. Keeps going
 * after an error so one run reports every problem.
 */
export function validateFile(file: string, root: LocatedNode | null, env: Environment): ValidatedFile {
  const start: Position = { file, line: 1, column: 1 };
  const walker = new Walker(env, new PositionIndex(start));
  if (root === null) return { value: {}, positions: walker.positions, diagnostics: [] };
  const value = walker.visit(root, COMPOSE_KEY_TREE, []);
  const object = value !== null && typeof value === "object" && !Array.isArray(value) ? value : {};
  return { value: object, positions: walker.positions, diagnostics: walker.diagnostics };
}

/** Marks a value that failed validation; never part of a result. */
const INVALID = Symbol("invalid");
type Visited = Plain | typeof INVALID;

class Walker {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    private readonly env: Environment,
    readonly positions: PositionIndex,
  ) {}

  visit(node: LocatedNode, schema: KeySchema, path: KeyPath): Visited {
    this.positions.set(path, node.at);
    if (node.kind === "scalar" && node.value === null && "nullable" in schema && schema.nullable) return null;
    switch (schema.type) {
      case "any":
        return INVALID;
      case "union": {
        const branch =
          node.kind === "scalar" ? schema.scalar : node.kind === "seq" ? schema.list : schema.map;
        if (!branch) return this.wrongType(node, schema, path);
        return this.visit(node, branch, path);
      }
      case "object":
      case "map":
        return node.kind === "map" ? this.visitMap(node, schema, path) : this.wrongType(node, schema, path);
      case "list":
        if (node.kind !== "seq") return this.wrongType(node, schema, path);
        return this.collect(node.items.map((item, i) => this.visit(item, schema.items, [...path, i])));
      default:
        return node.kind === "scalar"
          ? this.visitScalar(node, schema, path)
          : this.wrongType(node, schema, path);
    }
  }

  private visitMap(
    node: LocatedNode & { kind: "map" },
    schema: KeySchema & { type: "object" | "map" },
    path: KeyPath,
  ): Visited {
    const out: { [key: string]: Plain } = {};
    for (const { key, keyAt, value } of node.entries) {
      const keyPath = [...path, key];
      const isExtension = key.startsWith("x-");
      if (isExtension && (schema.type === "object" || schema.skipExtensions)) continue;
      const child = schema.type === "object" ? schema.keys[key] : schema.values;
      if (!child) {
        const hint = suggest(key, Object.keys(schema.type === "object" ? schema.keys : {}));
        this.report(keyAt, keyPath, "unknown-key", `unknown key "${key}"${hint}`);
        continue;
      }
      if (child.status && "ignored" in child.status) {
        this.report(keyAt, keyPath, "ignored-key", `Ignoring unsupported options: ${key}`, "warning");
        continue;
      }
      if (child.status && "forbidden" in child.status) {
        this.report(
          keyAt,
          keyPath,
          "forbidden-key",
          `unsupported option "${key}": ${child.status.forbidden}`,
        );
        continue;
      }
      const visited = this.visit(value, child, keyPath);
      // Collections start on the line after their key: point at the key.
      if (value.kind !== "scalar") this.positions.set(keyPath, keyAt);
      if (visited !== INVALID) out[key] = visited;
    }
    // A map with a bad entry is kept without it, so later stages report their own problems too;
    // any error stops the load before conversion.
    return out;
  }

  private visitScalar(node: LocatedScalar, schema: ScalarSchema, path: KeyPath): Visited {
    let raw = node.value;
    if (typeof raw === "string" && raw.includes("$")) {
      const r = interpolate(raw, this.env);
      if (!r.ok) {
        this.report(node.at, path, "interpolation", r.message);
        return INVALID;
      }
      raw = r.value;
    }
    const value = convertScalar(raw, schema);
    if (value === undefined) return this.wrongType({ ...node, value: raw }, schema, path);
    if (schema.enum && typeof value === "string" && !schema.enum.includes(value)) {
      return this.wrongType({ ...node, value: raw }, schema, path);
    }
    return value;
  }

  private collect(items: Visited[]): Visited {
    return items.filter((item): item is Plain => item !== INVALID);
  }

  private wrongType(node: LocatedNode, schema: KeySchema, path: KeyPath): typeof INVALID {
    const code = node.kind === "scalar" && schema.type !== "union" ? "invalid-value" : "wrong-type";
    const fractional = schema.type === "integer" && node.kind === "scalar" && typeof node.value === "number";
    const expected = fractional ? "a whole number" : describeType(schema);
    this.report(node.at, path, code, `expected ${expected}, got ${describeNode(node)}`);
    return INVALID;
  }

  private report(
    at: Position,
    path: KeyPath,
    code: Diagnostic["code"],
    message: string,
    severity?: "warning",
  ) {
    this.diagnostics.push(diagnostic(at, path, code, message, severity));
  }
}

const TRUE_WORDS = new Set(["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"]);
const FALSE_WORDS = new Set(["false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"]);
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** The scalar as the schema's type, or undefined when it is not one. */
function convertScalar(raw: string | number | boolean | null, schema: ScalarSchema): Plain | undefined {
  switch (schema.type) {
    case "string":
      if (typeof raw === "string") return raw;
      if (typeof raw === "number" && Number.isFinite(raw)) return String(raw);
      if (typeof raw === "boolean" && schema.loose) return String(raw);
      return undefined;
    case "integer": {
      const n = toNumber(raw);
      return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
    }
    case "number":
      return toNumber(raw);
    case "boolean":
      if (typeof raw === "boolean") return raw;
      if (typeof raw === "string" && TRUE_WORDS.has(raw)) return true;
      if (typeof raw === "string" && FALSE_WORDS.has(raw)) return false;
      return undefined;
    case "duration":
      if (raw === 0) return 0;
      return typeof raw === "string" ? parseDurationMs(raw) : undefined;
    case "bytes":
      return typeof raw === "string" || typeof raw === "number" ? parseBytes(raw) : undefined;
    case "cpus":
      return typeof raw === "string" || typeof raw === "number" ? parseNanoCpus(raw) : undefined;
  }
}

function toNumber(raw: string | number | boolean | null): number | undefined {
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === "string" && NUMBER.test(raw.trim())) return Number(raw);
  return undefined;
}

function describeNode(node: LocatedNode): string {
  if (node.kind === "seq") return "a list";
  if (node.kind === "map") return "a mapping";
  if (node.value === null) return "nothing (null)";
  const text = typeof node.value === "string" ? JSON.stringify(node.value) : String(node.value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** ` (did you mean "image"?)` for a key within two edits of a known one. */
function suggest(key: string, known: string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(key, k, bestDistance);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best ? ` (did you mean "${best}"?)` : "";
}

function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap || a.length > 64 || b.length > 64) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? cap;
}
