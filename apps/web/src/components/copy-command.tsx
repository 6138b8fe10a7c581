"use client";
import { useState } from "react";
import { Button } from "./button.tsx";

/** A shell command shown whole, with one click to copy all of it. */
export function CopyCommand({ command, label = "Copy" }: { command: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command);
    } catch {
      const area = document.createElement("textarea");
      area.value = command;
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2_000);
  };
  return (
    <div className="flex items-stretch gap-2">
      <code className="block flex-1 overflow-x-auto rounded-md bg-slate-900 px-3 py-2 font-mono text-xs leading-5 whitespace-pre text-slate-100">
        {command}
      </code>
      <Button size="sm" onClick={() => void copy()} aria-label={`${label}: ${command}`}>
        {copied ? "Copied" : label}
      </Button>
    </div>
  );
}
