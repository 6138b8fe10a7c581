import { INTERPOLATED_VALUE_CHARS_MAX } from "./limits.ts";

/** Variables visible to a stack file (the shell environment `docker stack deploy` sees). */
export type Environment = Readonly<Record<string, string | undefined>>;

export type InterpolationResult = { ok: true; value: string } | { ok: false; message: string };

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const BRACED = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/;

/**
 * Expands `$VAR`, `${VAR}`, `${VAR:-default}` / `${VAR-default}` (default when unset-or-empty /
 * unset), `${VAR:?message}` / `${VAR?message}` (error), `${VAR:+alt}` / `${VAR+alt}` (alternative
 * when set) and `$$` (a literal `$`). Defaults and messages may themselves contain `${...}`.
 * A `$` followed by anything else is an error, as in docker's template package.
 */
export function interpolate(text: string, env: Environment): InterpolationResult {
  return expand(text, env, 0);
}

const NESTING_MAX = 16;

function expand(text: string, env: Environment, nesting: number): InterpolationResult {
  if (!text.includes("$")) return { ok: true, value: text };
  if (nesting > NESTING_MAX) return { ok: false, message: "interpolation is nested too deeply" };
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== "$") {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === "$") {
      out += "$";
      i += 2;
    } else if (next === "{") {
      const close = findClosingBrace(text, i + 2);
      if (close < 0)
        return { ok: false, message: `invalid interpolation format in "${text}": unclosed "\${"` };
      const r = expandBraced(text.slice(i + 2, close), env, nesting);
      if (!r.ok) return r;
      out += r.value;
      i = close + 1;
    } else if (next !== undefined && NAME_START.test(next)) {
      let j = i + 1;
      while (j < text.length && NAME_CHAR.test(text[j] ?? "")) j++;
      out += env[text.slice(i + 1, j)] ?? "";
      i = j;
    } else {
      return { ok: false, message: `invalid interpolation format in "${text}": use "$$" for a literal "$"` };
    }
    if (out.length > INTERPOLATED_VALUE_CHARS_MAX) {
      return {
        ok: false,
        message: `interpolated value is longer than ${INTERPOLATED_VALUE_CHARS_MAX} characters`,
      };
    }
  }
  return { ok: true, value: out };
}

/** Index of the `}` that closes a `${` whose body starts at `from`, counting nested `${`. */
function findClosingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === "$" && text[i + 1] === "$") i++;
    else if (text[i] === "$" && text[i + 1] === "{") {
      depth++;
      i++;
    } else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

function expandBraced(body: string, env: Environment, nesting: number): InterpolationResult {
  const m = BRACED.exec(body);
  if (!m) return { ok: false, message: `invalid interpolation format: "\${${body}}"` };
  const [, name = "", op, rest = ""] = m;
  const value = env[name];
  const isSet = value !== undefined;
  const isSetNonEmpty = isSet && value !== "";
  switch (op) {
    case undefined:
      return { ok: true, value: value ?? "" };
    case ":-":
      return isSetNonEmpty ? { ok: true, value } : expand(rest, env, nesting + 1);
    case "-":
      return isSet ? { ok: true, value } : expand(rest, env, nesting + 1);
    case ":+":
      return isSetNonEmpty ? expand(rest, env, nesting + 1) : { ok: true, value: "" };
    case "+":
      return isSet ? expand(rest, env, nesting + 1) : { ok: true, value: "" };
    case ":?":
    case "?": {
      if (op === ":?" ? isSetNonEmpty : isSet) return { ok: true, value: value as string };
      const detail = expand(rest, env, nesting + 1);
      const why =
        detail.ok && detail.value !== "" ? detail.value : `${name} is ${isSet ? "empty" : "not set"}`;
      return { ok: false, message: `required variable ${name} is missing a value: ${why}` };
    }
    default:
      return { ok: false, message: `invalid interpolation format: "\${${body}}"` };
  }
}
