import type { Node } from "@shoal/store";
import { PlacementError } from "./placement-error.ts";

export type ConstraintOperator = "==" | "!=";

/** The node attributes a constraint can test. `label` holds the X of `node.labels.X`. */
export type ConstraintKey =
  | { readonly attr: "node.id" | "node.hostname" | "node.role" | "node.platform.os" | "node.platform.arch" }
  | { readonly attr: "node.ip" }
  | { readonly attr: "node.labels" | "engine.labels"; readonly label: string };

export interface Constraint {
  /** The expression as written, for messages. */
  readonly text: string;
  readonly key: ConstraintKey;
  readonly operator: ConstraintOperator;
  readonly value: string;
}

const KEY_PATTERN = /^[a-z_][a-z0-9\-_.]*$/i;
const VALUE_PATTERN = /^[a-z0-9:\-_\s.*()?+[\]\\^$|/]+$/i;
const SIMPLE_KEYS = [
  "node.id",
  "node.hostname",
  "node.role",
  "node.platform.os",
  "node.platform.arch",
  "node.ip",
];
const LABEL_PREFIXES = ["node.labels.", "engine.labels."] as const;
export const CONSTRAINT_KEYS_HELP =
  "node.id, node.hostname, node.role, node.platform.os, node.platform.arch, node.ip, node.labels.<label>, engine.labels.<label>";

/**
 * Parses one constraint: `<key> == <value>` or `<key> != <value>` (spaces optional), as swarm's.
 * Keys are case-insensitive; label names keep their case. Throws PlacementError "invalid-constraint".
 */
export function parseConstraint(text: string): Constraint {
  const eq = text.indexOf("==");
  const ne = text.indexOf("!=");
  const at = eq < 0 ? ne : ne < 0 ? eq : Math.min(eq, ne);
  if (at < 0) {
    throw invalid(text, 'expected "<key> == <value>" or "<key> != <value>"');
  }
  const operator = text.slice(at, at + 2) as ConstraintOperator;
  const rawKey = text.slice(0, at).trim();
  const value = text.slice(at + 2).trim();
  if (!KEY_PATTERN.test(rawKey)) throw invalid(text, `"${rawKey}" is not a valid key`);
  if (value === "" || !VALUE_PATTERN.test(value)) throw invalid(text, `"${value}" is not a valid value`);
  if (value.includes("==") || value.includes("!=")) throw invalid(text, "only one operator per constraint");
  const key = parseKey(rawKey, text);
  if (key.attr === "node.role" && !["manager", "worker"].includes(value.toLowerCase())) {
    throw invalid(text, 'node.role is "manager" or "worker"');
  }
  if (key.attr === "node.ip" && parseIpOrCidr(value) === undefined) {
    throw invalid(text, `"${value}" is not an IPv4 address or CIDR`);
  }
  return { text, key, operator, value };
}

/** Parses every constraint of a placement; the first bad one throws. */
export function parseConstraints(texts: readonly string[]): Constraint[] {
  return texts.map(parseConstraint);
}

function parseKey(rawKey: string, text: string): ConstraintKey {
  const lower = rawKey.toLowerCase();
  for (const prefix of LABEL_PREFIXES) {
    if (lower.startsWith(prefix)) {
      const label = rawKey.slice(prefix.length);
      if (label === "") throw invalid(text, `a label name follows "${prefix}"`);
      return { attr: prefix === "node.labels." ? "node.labels" : "engine.labels", label };
    }
  }
  if (SIMPLE_KEYS.includes(lower)) return { attr: lower as "node.id" };
  throw invalid(text, `unknown key "${rawKey}" (known: ${CONSTRAINT_KEYS_HELP})`);
}

function invalid(text: string, why: string): PlacementError {
  return new PlacementError("invalid-constraint", `invalid constraint "${text}": ${why}`);
}

/** Whether the node satisfies every constraint. A missing label matches only `!=`. */
export function nodeMatchesConstraints(node: Node, constraints: readonly Constraint[]): boolean {
  for (const c of constraints) if (!nodeMatches(node, c)) return false;
  return true;
}

export function nodeMatches(node: Node, c: Constraint): boolean {
  const actual = nodeValue(node, c.key);
  let equal: boolean;
  if (actual === undefined) equal = false;
  else if (c.key.attr === "node.ip") equal = ipMatches(actual, c.value);
  else equal = actual.toLowerCase() === c.value.toLowerCase();
  return c.operator === "==" ? equal : !equal;
}

function nodeValue(node: Node, key: ConstraintKey): string | undefined {
  switch (key.attr) {
    case "node.id":
      return node.id;
    case "node.hostname":
      return node.description?.hostname;
    case "node.role":
      return node.role;
    case "node.platform.os":
      return node.description?.platform.os;
    case "node.platform.arch":
      return node.description?.platform.arch;
    case "node.ip":
      return node.status.addr;
    case "node.labels":
      return node.spec.labels[key.label];
    case "engine.labels":
      return node.description?.engine.labels[key.label];
  }
}

/** An address (`10.0.0.5`, `10.0.0.5:2377`) against an address or CIDR. */
function ipMatches(addr: string, expected: string): boolean {
  const ip = parseIpv4(addr.replace(/:\d+$/, ""));
  const want = parseIpOrCidr(expected);
  if (ip === undefined || want === undefined) return false;
  const mask = want.bits === 0 ? 0 : (0xffffffff << (32 - want.bits)) >>> 0;
  return (ip & mask) >>> 0 === (want.ip & mask) >>> 0;
}

function parseIpOrCidr(text: string): { ip: number; bits: number } | undefined {
  const [ipText, bitsText] = text.trim().split("/");
  const ip = parseIpv4(ipText ?? "");
  if (ip === undefined) return undefined;
  if (bitsText === undefined) return { ip, bits: 32 };
  const bits = Number(bitsText);
  return Number.isInteger(bits) && bits >= 0 && bits <= 32 ? { ip, bits } : undefined;
}

function parseIpv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let ip = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    ip = ip * 256 + Number(part);
  }
  return ip;
}
