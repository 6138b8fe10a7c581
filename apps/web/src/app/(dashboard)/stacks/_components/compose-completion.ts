/**
 * Completion of Compose keys in the stack editor: the key path at the cursor is read from the
 * indentation of the lines above it, then `keysAt(path)` (the server's key tree) lists the keys.
 */
import type { CompletionContext, CompletionResult } from "@codemirror/autocomplete";
import type { Text } from "@codemirror/state";
import { keysAt } from "@/lib/shared-schemas.ts";

const KEY_LINE = /^(\s*)(- +)?([A-Za-z0-9_.-]+)\s*:(.*)$/;
const LINES_SCANNED_MAX = 2_000;

/** The mapping path that encloses a key typed at column `indent` of line `lineNumber`. */
export function keyPathAt(doc: Text, lineNumber: number, indent: number): (string | number)[] {
  const path: (string | number)[] = [];
  let current = indent;
  const stop = Math.max(1, lineNumber - LINES_SCANNED_MAX);
  for (let n = lineNumber - 1; n >= stop && current > 0; n--) {
    const text = doc.line(n).text;
    if (text.trim() === "" || text.trim().startsWith("#")) continue;
    const m = KEY_LINE.exec(text);
    const lineIndent = text.length - text.trimStart().length;
    const dash = m?.[2] ?? (text.trimStart().startsWith("-") ? "- " : "");
    const keyIndent = lineIndent + (m?.[2]?.length ?? 0);
    if (dash && keyIndent <= current && lineIndent < current) {
      path.push(0);
      current = lineIndent;
      continue;
    }
    if (m && lineIndent < current && m[4]?.trim() === "") {
      path.push(m[3] as string);
      current = lineIndent;
    }
  }
  return path.reverse();
}

export function composeCompletion(context: CompletionContext): CompletionResult | null {
  const word = context.matchBefore(/[A-Za-z0-9_.-]*/);
  if (!word) return null;
  const line = context.state.doc.lineAt(context.pos);
  const before = line.text.slice(0, word.from - line.from);
  if (!/^\s*(- +)?$/.test(before)) return null;
  if (word.from === word.to && !context.explicit) return null;
  const path = keyPathAt(context.state.doc, line.number, before.length);
  const keys = keysAt(path);
  if (keys.length === 0) return null;
  return {
    from: word.from,
    options: keys.map((k) => ({
      label: k.key,
      type: "property",
      detail: k.ignored ? `${k.type} · ignored by swarm` : k.type,
      info: k.description,
      apply: `${k.key}: `,
      boost: k.ignored ? -10 : 0,
    })),
    validFor: /^[A-Za-z0-9_.-]*$/,
  };
}
