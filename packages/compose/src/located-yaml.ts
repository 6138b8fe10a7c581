import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from "yaml";
import { type Diagnostic, diagnostic, type Position } from "./diagnostic.ts";
import { STACK_FILE_BYTES_MAX, YAML_ALIAS_COUNT_MAX, YAML_DEPTH_MAX, YAML_NODES_MAX } from "./limits.ts";

/**
 * A YAML value with the position it came from. Aliases are expanded (each copy keeps the
 * anchored node's position) and merge keys (`<<: *base`) applied, so later stages see plain
 * mappings, sequences and scalars and never touch the YAML library.
 */
export type LocatedNode = LocatedMap | LocatedSeq | LocatedScalar;

export interface LocatedScalar {
  kind: "scalar";
  at: Position;
  value: string | number | boolean | null;
  /** True when the scalar was written quoted (`"8080:80"`): never a number or a boolean. */
  quoted: boolean;
}

export interface LocatedSeq {
  kind: "seq";
  at: Position;
  items: LocatedNode[];
}

export interface LocatedEntry {
  key: string;
  keyAt: Position;
  value: LocatedNode;
}

export interface LocatedMap {
  kind: "map";
  at: Position;
  /** In file order; keys are unique (explicit keys win over merged ones). */
  entries: LocatedEntry[];
}

export type ParseResult = { ok: true; root: LocatedNode | null } | { ok: false; errors: Diagnostic[] };

class LimitExceeded extends Error {
  constructor(
    readonly at: Position,
    message: string,
  ) {
    super(message);
  }
}

const MERGE_KEY = "<<";
/** YAML 1.1 octal (`0440`), which docker's YAML decoder still reads as octal; 1.2 would say 440. */
const LEGACY_OCTAL = /^[-+]?0[0-7]+$/;

/** Parses one stack file into a located tree, or returns positioned errors. Never throws. */
export function parseLocatedYaml(file: string, text: string): ParseResult {
  const start: Position = { file, line: 1, column: 1 };
  if (text.length > STACK_FILE_BYTES_MAX) {
    const message = `file is ${text.length} bytes; the limit is ${STACK_FILE_BYTES_MAX}`;
    return { ok: false, errors: [diagnostic(start, [], "too-large", message)] };
  }
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      lineCounter,
      // Checked by the tree builder in linear time; the library's check is quadratic in map size.
      uniqueKeys: false,
      prettyErrors: false,
    });
  } catch (err) {
    // A nesting deep enough to overflow the parser's stack.
    return { ok: false, errors: [diagnostic(start, [], "yaml-limit", `cannot parse: ${errorText(err)}`)] };
  }
  const positionOf = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) =>
      diagnostic(positionOf(e.pos[0]), [], "yaml-syntax", e.message.split("\n")[0] ?? e.message),
    );
    return { ok: false, errors };
  }
  try {
    const builder = new TreeBuilder(doc, positionOf);
    const root = doc.contents === null ? null : builder.build(doc.contents as Node, 0);
    return { ok: true, root };
  } catch (err) {
    if (err instanceof LimitExceeded) {
      return { ok: false, errors: [diagnostic(err.at, [], "yaml-limit", err.message)] };
    }
    if (err instanceof RangeError) {
      return { ok: false, errors: [diagnostic(start, [], "yaml-limit", `cannot parse: ${err.message}`)] };
    }
    throw err;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

class TreeBuilder {
  private nodes = 0;
  private aliases = 0;
  /** Anchored nodes being expanded right now: an alias to one of them is a cycle. */
  private readonly expanding = new Set<Node>();

  constructor(
    private readonly doc: Document.Parsed,
    private readonly positionOf: (offset: number) => Position,
  ) {}

  build(node: Node, depth: number): LocatedNode {
    const at = this.positionOf(node.range?.[0] ?? 0);
    if (++this.nodes > YAML_NODES_MAX) {
      throw new LimitExceeded(at, `the file expands to more than ${YAML_NODES_MAX} nodes (aliases included)`);
    }
    if (depth > YAML_DEPTH_MAX)
      throw new LimitExceeded(at, `nesting is deeper than ${YAML_DEPTH_MAX} levels`);
    if (isAlias(node)) return this.buildAlias(node, at, depth);
    if (isScalar(node)) return buildScalar(node, at);
    if (isSeq(node)) {
      const items = node.items.map((item) => this.build(item as Node, depth + 1));
      return { kind: "seq", at, items };
    }
    if (isMap(node)) return this.buildMap(node, at, depth);
    throw new LimitExceeded(at, "unsupported YAML node");
  }

  private buildAlias(node: Node & { resolve(doc: Document): Node | undefined }, at: Position, depth: number) {
    if (++this.aliases > YAML_ALIAS_COUNT_MAX) {
      throw new LimitExceeded(at, `the file uses more than ${YAML_ALIAS_COUNT_MAX} aliases`);
    }
    const target = node.resolve(this.doc);
    if (!target) throw new LimitExceeded(at, "alias refers to an unknown anchor");
    if (this.expanding.has(target)) throw new LimitExceeded(at, "alias refers to a node that contains it");
    this.expanding.add(target);
    try {
      return this.build(target, depth);
    } finally {
      this.expanding.delete(target);
    }
  }

  private buildMap(node: Node & { items: unknown[] }, at: Position, depth: number): LocatedMap {
    const explicit: LocatedEntry[] = [];
    const merged: LocatedEntry[] = [];
    const keys = new Set<string>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const keyAt = keyNode?.range ? this.positionOf(keyNode.range[0]) : at;
      if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === "object") {
        throw new LimitExceeded(keyAt, "mapping keys must be strings");
      }
      const value: LocatedNode =
        pair.value === null
          ? { kind: "scalar", at: keyAt, value: null, quoted: false }
          : this.build(pair.value as Node, depth + 1);
      if (keyNode.value === MERGE_KEY && keyNode.type === "PLAIN") {
        merged.push(...mergeSources(value, keyAt));
        continue;
      }
      const key = String(keyNode.value);
      if (keys.has(key)) throw new LimitExceeded(keyAt, `duplicate key "${key}": map keys must be unique`);
      keys.add(key);
      explicit.push({ key, keyAt, value });
    }
    const entries = [...explicit];
    const seen = new Set(explicit.map((e) => e.key));
    for (const e of merged) {
      if (seen.has(e.key)) continue;
      seen.add(e.key);
      entries.push(e);
    }
    return { kind: "map", at, entries };
  }
}

/** The entries a merge key brings in: earlier sources win over later ones (YAML merge rules). */
function mergeSources(value: LocatedNode, at: Position): LocatedEntry[] {
  const sources = value.kind === "seq" ? value.items : [value];
  const out: LocatedEntry[] = [];
  for (const source of sources) {
    if (source.kind !== "map")
      throw new LimitExceeded(at, "a merge key (<<) takes a mapping or a list of mappings");
    out.push(...source.entries);
  }
  return out;
}

function buildScalar(
  node: Node & { value: unknown; type?: string | undefined; source?: string },
  at: Position,
) {
  const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE";
  const source = node.source;
  let value = node.value;
  if (!quoted && typeof source === "string" && LEGACY_OCTAL.test(source)) value = Number.parseInt(source, 8);
  if (typeof value === "bigint") value = Number(value);
  if (value instanceof Date) value = value.toISOString();
  if (value !== null && typeof value === "object") value = String(value);
  if (typeof value === "undefined") value = null;
  return { kind: "scalar", at, value: value as LocatedScalar["value"], quoted } satisfies LocatedScalar;
}
