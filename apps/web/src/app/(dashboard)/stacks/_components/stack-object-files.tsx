"use client";
/**
 * The files a deploy must send: secrets and configs the stack file defines with `file:` and the
 * deploy creates. The dashboard cannot read the server's or the user's disk, so each one is
 * uploaded or pasted here; the content goes with the deploy (base64, by its key in the file).
 */
import { useId } from "react";
import { INPUT_CLASS } from "@/components/field.tsx";
import { base64Length, bytesToBase64, textToBase64 } from "@/lib/base64.ts";
import { formatBytes } from "@/lib/format.ts";

export interface StackObjectFile {
  kind: "secret" | "config";
  /** Its key in the stack file (secrets: / configs:). */
  key: string;
  /** The object the deploy creates (`STACK_key`). */
  name: string;
  /** The path the stack file names. */
  file: string;
}

/** Content given so far, base64, by key: what `stacks.deploy` takes as secretData/configData. */
export interface StackObjectData {
  secretData: Record<string, string>;
  configData: Record<string, string>;
}

export const NO_OBJECT_DATA: StackObjectData = { secretData: {}, configData: {} };

/** The secrets and configs of a plan whose content the deploy needs. */
export function filesToSend(
  objects: readonly { kind: string; name: string; action: string; key?: string; file?: string }[],
): StackObjectFile[] {
  return objects.flatMap((o) =>
    o.action === "create" && (o.kind === "secret" || o.kind === "config") && o.key && o.file
      ? [{ kind: o.kind, key: o.key, name: o.name, file: o.file }]
      : [],
  );
}

export function dataOf(data: StackObjectData, f: StackObjectFile): string | undefined {
  return (f.kind === "secret" ? data.secretData : data.configData)[f.key];
}

function withData(data: StackObjectData, f: StackObjectFile, content: string | undefined): StackObjectData {
  const field = f.kind === "secret" ? "secretData" : "configData";
  const next = { ...data[field] };
  if (content === undefined) delete next[f.key];
  else next[f.key] = content;
  return { ...data, [field]: next };
}

export function StackObjectFiles({
  files,
  data,
  onChange,
}: {
  files: readonly StackObjectFile[];
  data: StackObjectData;
  onChange: (data: StackObjectData) => void;
}) {
  if (files.length === 0) return null;
  return (
    <section className="space-y-3" data-testid="stack-files" aria-label="Files the deploy sends">
      <div>
        <h3 className="text-sm font-medium text-slate-800">Files the deploy sends</h3>
        <p className="text-xs text-slate-500">
          The stack creates these from files. Upload or paste each one; to use a secret or config that already
          exists instead, declare it <code>external: true</code> in the stack file.
        </p>
      </div>
      <ul className="space-y-3">
        {files.map((f) => (
          <ObjectFileInput
            key={`${f.kind}/${f.key}`}
            file={f}
            content={dataOf(data, f)}
            onContent={(content) => onChange(withData(data, f, content))}
          />
        ))}
      </ul>
    </section>
  );
}

function ObjectFileInput({
  file,
  content,
  onContent,
}: {
  file: StackObjectFile;
  content: string | undefined;
  onContent: (content: string | undefined) => void;
}) {
  const id = useId();
  const what = `${file.kind} ${file.key}`;
  return (
    <li className="rounded-md border border-slate-200 p-3">
      <p className="text-sm text-slate-700">
        <span className="font-medium">{what}</span> <span className="text-slate-500">from</span>{" "}
        <code className="break-all text-xs">{file.file}</code>
      </p>
      <p className={`text-xs ${content === undefined ? "text-amber-700" : "text-emerald-700"}`}>
        {content === undefined ? "Content needed" : `Content given: ${formatBytes(base64Length(content))}`}
      </p>
      <label htmlFor={`${id}-upload`} className="mt-2 block text-xs font-medium text-slate-600">
        Upload {file.file} for {what}
      </label>
      <input
        id={`${id}-upload`}
        type="file"
        className="mt-1 block w-full text-xs"
        onChange={async (e) => {
          const chosen = e.target.files?.[0];
          if (chosen) onContent(bytesToBase64(new Uint8Array(await chosen.arrayBuffer())));
        }}
      />
      <label htmlFor={`${id}-paste`} className="mt-2 block text-xs font-medium text-slate-600">
        Or paste the content of {what}
      </label>
      <textarea
        id={`${id}-paste`}
        rows={2}
        className={`${INPUT_CLASS} font-mono text-xs`}
        onChange={(e) => onContent(e.target.value === "" ? undefined : textToBase64(e.target.value))}
      />
    </li>
  );
}
