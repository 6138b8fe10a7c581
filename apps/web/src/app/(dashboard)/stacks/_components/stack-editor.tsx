"use client";
/**
 * The stack file editor (CodeMirror 6): YAML syntax, completion of Compose keys, and the server's
 * diagnostics as inline marks at their line:column.
 */
import { autocompletion } from "@codemirror/autocomplete";
import { yaml } from "@codemirror/lang-yaml";
import { type Diagnostic, lintGutter, setDiagnostics } from "@codemirror/lint";
import { EditorView } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { useEffect, useRef } from "react";
import { composeCompletion } from "./compose-completion.ts";

export interface EditorDiagnostic {
  line: number;
  column: number;
  message: string;
  severity: "error" | "warning";
}

export function StackEditor({
  initial,
  diagnostics,
  onChange,
  label,
}: {
  initial: string;
  diagnostics: readonly EditorDiagnostic[];
  onChange: (text: string) => void;
  label: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;
  // The editor owns its text after mount: `initial` and `label` only seed it (remount with a new key).
  // biome-ignore lint/correctness/useExhaustiveDependencies: seeded once
  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      doc: initial,
      parent: host.current,
      extensions: [
        basicSetup,
        yaml(),
        autocompletion({ override: [composeCompletion] }),
        lintGutter(),
        EditorView.contentAttributes.of({ "aria-label": label }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) changed.current(u.state.doc.toString());
        }),
        EditorView.theme({
          "&": { fontSize: "13px", height: "100%" },
          ".cm-scroller": {
            fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace",
            minHeight: "22rem",
          },
        }),
      ],
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, []);
  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const doc = editor.state.doc;
    const marks: Diagnostic[] = diagnostics.map((d) => {
      const line = doc.line(Math.min(Math.max(1, d.line), doc.lines));
      const from = Math.min(line.from + Math.max(0, d.column - 1), line.to);
      const to = from < line.to ? line.to : Math.min(from + 1, doc.length);
      return { from, to, severity: d.severity, message: d.message };
    });
    editor.dispatch(setDiagnostics(editor.state, marks));
  }, [diagnostics]);
  return (
    <div
      ref={host}
      className="overflow-hidden rounded-lg border border-slate-300 bg-white focus-within:border-sky-600 focus-within:ring-2 focus-within:ring-sky-600/20"
    />
  );
}
