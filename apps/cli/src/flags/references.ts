/** `--secret` / `--config`: `NAME` or `source=NAME,target=FILE,uid=0,gid=0,mode=0444` (mode in octal). */
import { UsageError } from "../cli-error.ts";

export interface ReferenceFlag {
  source: string;
  target?: string;
  uid?: string;
  gid?: string;
  mode?: number;
}

export function parseReference(flag: string, text: string): ReferenceFlag {
  if (!text.includes("=")) {
    if (text.trim() === "") throw new UsageError(`--${flag}: name the ${flag}`);
    return { source: text.trim() };
  }
  const ref: Partial<ReferenceFlag> = {};
  for (const field of text.split(",")) {
    const eq = field.indexOf("=");
    const key = field
      .slice(0, eq < 0 ? undefined : eq)
      .trim()
      .toLowerCase();
    const value = eq < 0 ? "" : field.slice(eq + 1).trim();
    if (key === "source" || key === "src") ref.source = value;
    else if (key === "target") ref.target = value;
    else if (key === "uid") ref.uid = value;
    else if (key === "gid") ref.gid = value;
    else if (key === "mode") {
      if (!/^[0-7]{1,4}$/.test(value)) throw new UsageError(`--${flag} ${text}: mode is octal, like 0400`);
      ref.mode = Number.parseInt(value, 8);
    } else throw new UsageError(`--${flag} ${text}: unknown field "${key}" (source, target, uid, gid, mode)`);
  }
  if (!ref.source) throw new UsageError(`--${flag} ${text}: source= is required`);
  return ref as ReferenceFlag;
}
