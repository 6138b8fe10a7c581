import type { ComposeConfig, ComposeService } from "./compose-model.ts";

/**
 * Merges normalised files in order (`-c a.yml -c b.yml`), by docker's rules:
 * - services merge by name, key by key; scalars and nested settings: the later file wins;
 * - `command`, `entrypoint`, `healthcheck.test`: replaced whole;
 * - `ports`: the union (exact duplicates once), sorted by published port;
 * - `volumes`: by target path, `secrets` and `configs`: by source — the later file wins; sorted;
 * - maps (`environment`, `labels`, `sysctls`, `ulimits`, `networks`, `deploy.labels`): per key;
 * - `logging`: options merged when the drivers agree (or one is unset), else replaced;
 * - other lists (`cap_add`, `dns`, constraints, ...): appended, exact duplicates dropped;
 * - top-level networks, volumes, secrets and configs: a later definition replaces the earlier.
 */
export function mergeConfigs(configs: readonly ComposeConfig[]): ComposeConfig {
  const [first, ...rest] = configs;
  const out: ComposeConfig = structuredClone(
    first ?? { services: {}, networks: {}, volumes: {}, secrets: {}, configs: {} },
  );
  for (const next of rest) {
    if (next.version !== undefined) out.version = next.version;
    for (const [name, service] of Object.entries(next.services)) {
      const base = out.services[name];
      out.services[name] = base ? mergeService(base, service) : structuredClone(service);
    }
    for (const section of ["networks", "volumes", "secrets", "configs"] as const) {
      Object.assign(out[section], structuredClone(next[section]));
    }
  }
  return out;
}

type Any = Record<string, unknown>;
const REPLACED = new Set(["command", "entrypoint", "test"]);
const KEYED_LISTS: Record<string, (item: Any) => string> = {
  volumes: (m) => String(m.target),
  secrets: (r) => String(r.source),
  configs: (r) => String(r.source),
};

export function mergeService(base: ComposeService, override: ComposeService): ComposeService {
  const merged = mergeObjects(base as Any, override as Any) as ComposeService;
  const logging = mergeLogging(base.logging, override.logging);
  if (logging) merged.logging = logging;
  return merged;
}

function mergeObjects(base: Any, override: Any): Any {
  const out: Any = structuredClone(base);
  for (const [key, value] of Object.entries(override)) {
    const prev = out[key];
    if (value === undefined) continue;
    if (prev === undefined || prev === null || value === null || REPLACED.has(key)) {
      out[key] = structuredClone(value);
    } else if (key === "ports" && Array.isArray(prev) && Array.isArray(value)) {
      out[key] = mergePorts(prev as Any[], value as Any[]);
    } else if (key in KEYED_LISTS && Array.isArray(prev) && Array.isArray(value)) {
      out[key] = mergeKeyed(prev as Any[], value as Any[], KEYED_LISTS[key] as (item: Any) => string);
    } else if (Array.isArray(prev) && Array.isArray(value)) {
      out[key] = appendUnique(prev, value);
    } else if (isObject(prev) && isObject(value)) {
      out[key] = key === "ulimits" ? { ...prev, ...structuredClone(value) } : mergeObjects(prev, value);
    } else {
      out[key] = structuredClone(value);
    }
  }
  return out;
}

function mergePorts(base: Any[], override: Any[]): Any[] {
  const byValue = new Map<string, Any>();
  for (const p of [...base, ...override]) byValue.set(JSON.stringify(sortedKeys(p)), structuredClone(p));
  return [...byValue.values()].sort((a, b) => Number(a.published ?? 0) - Number(b.published ?? 0));
}

function mergeKeyed(base: Any[], override: Any[], keyOf: (item: Any) => string): Any[] {
  const byKey = new Map<string, Any>();
  for (const item of [...base, ...override]) byKey.set(keyOf(item), structuredClone(item));
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

function appendUnique(base: unknown[], more: unknown[]): unknown[] {
  const seen = new Set(base.map((v) => JSON.stringify(v)));
  const out = structuredClone(base);
  for (const v of more) {
    const k = JSON.stringify(v);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(structuredClone(v));
  }
  return out;
}

function mergeLogging(base: ComposeService["logging"], override: ComposeService["logging"]) {
  if (!base || !override) return undefined;
  if (base.driver && override.driver && base.driver !== override.driver) return structuredClone(override);
  const logging: NonNullable<ComposeService["logging"]> = {
    options: { ...base.options, ...override.options },
  };
  const driver = override.driver ?? base.driver;
  if (driver !== undefined) logging.driver = driver;
  return logging;
}

function isObject(v: unknown): v is Any {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function sortedKeys(o: Any): Any {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}
