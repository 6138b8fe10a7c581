/** Where something is in a stack file: 1-based line and column. */
export interface Position {
  file: string;
  line: number;
  column: number;
}

export type Severity = "error" | "warning";

/**
 * One problem found in a stack file. `path` is the dotted key path (`services.web.ports[0]`);
 * `code` lets callers react to a class of problem without parsing the message.
 */
export interface Diagnostic extends Position {
  path: string;
  message: string;
  severity: Severity;
  code: DiagnosticCode;
}

export type DiagnosticCode =
  | "too-large"
  | "yaml-syntax"
  | "yaml-limit"
  | "interpolation"
  | "unknown-key"
  | "wrong-type"
  | "invalid-value"
  | "forbidden-key"
  | "ignored-key"
  | "undefined-reference"
  | "file-needed"
  | "stack-name";

/** A key path as a list of keys and list indexes; printed `a.b[0].c`. */
export type KeyPath = readonly (string | number)[];

export function formatPath(path: KeyPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? part : `.${part}`;
  }
  return out;
}

export function diagnostic(
  at: Position,
  path: KeyPath,
  code: DiagnosticCode,
  message: string,
  severity: Severity = "error",
): Diagnostic {
  return { file: at.file, line: at.line, column: at.column, path: formatPath(path), message, severity, code };
}

/** `file:line:column: path: message`, as compilers print. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.column}`;
  const what = d.path === "" ? d.message : `${d.path}: ${d.message}`;
  return `${where}: ${d.severity === "warning" ? "warning: " : ""}${what}`;
}

/** Positions of every key path of a loaded file (or of a merge of files: the last file wins). */
export class PositionIndex {
  private readonly byPath = new Map<string, Position>();
  constructor(private readonly fallback: Position) {}

  set(path: KeyPath, at: Position): void {
    this.byPath.set(formatPath(path), at);
  }

  /** The position of `path`, or of its nearest ancestor that has one. */
  at(path: KeyPath): Position {
    for (let n = path.length; n >= 0; n--) {
      const found = this.byPath.get(formatPath(path.slice(0, n)));
      if (found) return found;
    }
    return this.fallback;
  }

  /** Copies every position of `other` in, overriding this index's. */
  absorb(other: PositionIndex): void {
    for (const [k, v] of other.byPath) this.byPath.set(k, v);
  }
}
