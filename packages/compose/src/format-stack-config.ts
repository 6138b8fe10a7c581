import { stringify } from "yaml";
import type { ComposeConfig } from "./compose-model.ts";
import type { KeySchema } from "./key-schema.ts";
import { COMPOSE_KEY_TREE } from "./key-tree.ts";
import type { LoadedStack } from "./load-stack.ts";
import { formatDurationMs } from "./units.ts";

/** The version `stack config` prints when no file gave one. */
const DEFAULT_VERSION = "3.9";

/**
 * The merged, interpolated, normalised stack as YAML, like `docker stack config`: long syntax
 * for ports, mounts, secrets and configs, keys sorted, durations written back as `1m30s`, sizes
 * in bytes, CPUs as decimals, `$` written as `$$`. Empty sections are left out. Loading the output
 * again gives the same specs.
 */
export function formatStackConfig(result: Pick<LoadedStack, "config">): string {
  const config: ComposeConfig = result.config;
  const out: Record<string, unknown> = { version: config.version ?? DEFAULT_VERSION };
  for (const section of ["services", "networks", "volumes", "secrets", "configs"] as const) {
    if (Object.keys(config[section]).length === 0) continue;
    out[section] = config[section];
  }
  const schema = COMPOSE_KEY_TREE;
  return stringify(toText(out, schema), { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false });
}

function toText(value: unknown, schema: KeySchema | undefined): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) {
    const items =
      schema?.type === "list" ? schema.items : schema?.type === "union" ? listItems(schema) : undefined;
    return value.map((v) => toText(v, items));
  }
  if (typeof value === "object") {
    const object = schema?.type === "union" ? schema.map : schema;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const child =
        object?.type === "object" ? object.keys[k] : object?.type === "map" ? object.values : undefined;
      out[k] = toText(v, child);
    }
    return out;
  }
  const scalar = schema?.type === "union" ? schema.scalar : schema;
  if (typeof value === "number" && scalar?.type === "duration") return formatDurationMs(value);
  if (typeof value === "number" && scalar?.type === "cpus") return String(value / 1e9);
  // Values are already interpolated: escape `$` so loading the output again gives the same.
  if (typeof value === "string") return value.replaceAll("$", "$$$$");
  return value;
}

function listItems(schema: KeySchema & { type: "union" }): KeySchema | undefined {
  return schema.list?.type === "list" ? schema.list.items : undefined;
}
