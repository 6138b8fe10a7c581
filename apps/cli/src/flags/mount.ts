/**
 * `--mount type=bind|volume|tmpfs,source=...,target=...[,readonly]` as docker reads it
 * (`src`/`source`, `dst`/`destination`/`target`, `ro`/`readonly[=true|false|1|0]`).
 */
import { UsageError } from "../cli-error.ts";

export interface MountFlag {
  type: "bind" | "volume" | "tmpfs";
  source?: string;
  target: string;
  readOnly: boolean;
}

export function parseMount(text: string): MountFlag {
  let type: MountFlag["type"] = "volume";
  let source: string | undefined;
  let target: string | undefined;
  let readOnly = false;
  for (const field of text.split(",")) {
    const eq = field.indexOf("=");
    const key = (eq < 0 ? field : field.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? undefined : field.slice(eq + 1).trim();
    switch (key) {
      case "type":
        if (value !== "bind" && value !== "volume" && value !== "tmpfs") {
          throw bad(text, `type is bind, volume or tmpfs, not "${value ?? ""}"`);
        }
        type = value;
        break;
      case "source":
      case "src":
        source = value;
        break;
      case "target":
      case "dst":
      case "destination":
        target = value;
        break;
      case "readonly":
      case "ro":
        readOnly = readOnlyValue(text, value);
        break;
      default:
        throw bad(text, `unsupported field "${key}" (type, source, target, readonly)`);
    }
  }
  if (!target) throw bad(text, "target= is required");
  if (type === "bind" && !source) throw bad(text, "a bind mount needs source=");
  if (type === "tmpfs" && source) throw bad(text, "a tmpfs mount has no source");
  return { type, ...(source ? { source } : {}), target, readOnly };
}

function readOnlyValue(text: string, value: string | undefined): boolean {
  if (value === undefined || value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  throw bad(text, `readonly is true or false, not "${value}"`);
}

function bad(text: string, why: string): UsageError {
  return new UsageError(`--mount ${text}: ${why}`);
}
