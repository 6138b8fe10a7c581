import type { EditorDiagnostic } from "./stack-editor.tsx";

/** The server's diagnostics under the editor, as `line:column message` (also marked inline). */
export function DiagnosticsList({
  diagnostics,
  checking,
  valid,
}: {
  diagnostics: readonly (EditorDiagnostic & { path?: string })[];
  checking: boolean;
  valid: boolean | undefined;
}) {
  if (diagnostics.length === 0)
    return (
      <p className="text-xs text-slate-500" aria-live="polite">
        {checking ? "Checking…" : valid ? "The file is valid." : ""}
      </p>
    );
  return (
    <ul className="space-y-1 text-sm" aria-live="polite" data-testid="diagnostics">
      {diagnostics.map((d, i) => (
        <li
          // biome-ignore lint/suspicious/noArrayIndexKey: diagnostics have no identity
          key={i}
          className={d.severity === "error" ? "text-rose-700" : "text-amber-700"}
        >
          <span className="font-mono text-xs">
            line {d.line}:{d.column}
          </span>{" "}
          {d.severity === "warning" ? "warning: " : ""}
          {d.message}
        </li>
      ))}
    </ul>
  );
}
