/** One field that differs between two specs. */
export interface FieldChange {
  /** Dotted path, e.g. `taskTemplate.containerSpec.image` or `endpointSpec.ports[0].publishedPort`. */
  path: string;
  before: unknown;
  after: unknown;
}

/** Named limit: changes listed per service (a rewritten service would list every field). */
export const FIELD_CHANGES_MAX = 100;

/**
 * The fields that differ between two JSON-like values, depth first in key order. Objects are
 * compared key by key; lists element by element when their lengths match, else as a whole.
 */
export function diffFields(before: unknown, after: unknown, path = ""): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before, after, path, out);
  return out.slice(0, FIELD_CHANGES_MAX);
}

function walk(a: unknown, b: unknown, path: string, out: FieldChange[]): void {
  if (out.length >= FIELD_CHANGES_MAX || Object.is(a, b)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      out.push({ path, before: a, after: b });
      return;
    }
    for (let i = 0; i < a.length; i++) walk(a[i], b[i], `${path}[${i}]`, out);
    return;
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) walk(a[k], b[k], path === "" ? k : `${path}.${k}`, out);
    return;
  }
  out.push({ path, before: a, after: b });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** `path: before → after`, values as JSON (absent shown as "(none)"). */
export function formatFieldChange(c: FieldChange): string {
  const show = (v: unknown) => (v === undefined ? "(none)" : JSON.stringify(v));
  return `${c.path}: ${show(c.before)} → ${show(c.after)}`;
}
