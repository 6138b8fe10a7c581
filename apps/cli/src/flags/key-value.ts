/** `KEY=value` flags: `--env` (a bare KEY takes this shell's value, as docker), `--label`, `--label-add`. */
import { UsageError } from "../cli-error.ts";

export function parseEnv(text: string, env: NodeJS.ProcessEnv = process.env): string {
  const eq = text.indexOf("=");
  if (eq > 0) return text;
  if (eq === 0 || text === "") throw new UsageError(`--env ${text}: an environment entry is KEY=value`);
  const value = env[text];
  if (value === undefined) throw new UsageError(`--env ${text}: ${text} is not set here; give KEY=value`);
  return `${text}=${value}`;
}

export function envKey(entry: string): string {
  const eq = entry.indexOf("=");
  return eq < 0 ? entry : entry.slice(0, eq);
}

/** `k=v` or `k` (empty value), as docker's labels. */
export function parseLabels(flag: string, values: readonly string[] | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const text of values ?? []) {
    const eq = text.indexOf("=");
    const key = (eq < 0 ? text : text.slice(0, eq)).trim();
    if (key === "") throw new UsageError(`--${flag} ${text}: a label is key=value`);
    labels[key] = eq < 0 ? "" : text.slice(eq + 1);
  }
  return labels;
}
