import { posix } from "node:path";
import type { ComposeConfig, ComposeService } from "./compose-model.ts";
import { type Diagnostic, diagnostic, type KeyPath, type PositionIndex } from "./diagnostic.ts";
import type { Environment } from "./interpolation.ts";
import {
  type Parsed,
  parseEnvFile,
  parsePortShort,
  parseVolumeShort,
  splitShellWords,
} from "./short-syntax.ts";
import type { Plain } from "./validate.ts";

/** What normalising one file needs besides the file: variables and the files it may refer to. */
export interface NormalizeContext {
  env: Environment;
  /** Directory relative paths are resolved against (docker: the first stack file's). */
  baseDir: string;
  /** Files the caller has read (env_file), by resolved path. */
  attachedFiles: Readonly<Record<string, string>>;
  positions: PositionIndex;
  diagnostics: Diagnostic[];
}

type Obj = { [key: string]: Plain };
const SECTIONS = ["networks", "volumes", "secrets", "configs"] as const;

/** Turns one validated file into the long-syntax model; problems go to `ctx.diagnostics`. */
export function normalizeFile(value: Obj, ctx: NormalizeContext): ComposeConfig {
  const out: ComposeConfig = { services: {}, networks: {}, volumes: {}, secrets: {}, configs: {} };
  if (typeof value.version === "string") out.version = value.version;
  for (const [name, service] of Object.entries(asObj(value.services))) {
    out.services[name] = normalizeService(name, asObj(service), ctx);
  }
  for (const section of SECTIONS) {
    for (const [name, def] of Object.entries(asObj(value[section]))) {
      const d = { ...asObj(def) };
      if (d.labels !== undefined) d.labels = toMap(d.labels, "");
      const ext = d.external;
      if (ext !== null && typeof ext === "object" && !Array.isArray(ext)) {
        d.external = true;
        if (typeof ext.name === "string" && d.name === undefined) d.name = ext.name;
      }
      if (typeof d.file === "string") d.file = resolvePath(ctx.baseDir, d.file);
      (out[section] as Record<string, unknown>)[name] = d;
    }
  }
  return out;
}

function normalizeService(name: string, s: Obj, ctx: NormalizeContext): ComposeService {
  const path = ["services", name];
  const out: Obj = { ...s };
  for (const key of ["command", "entrypoint"] as const) {
    if (typeof s[key] === "string") {
      const words = report(splitShellWords(s[key]), [...path, key], ctx);
      if (words) out[key] = words;
      else delete out[key];
    }
  }
  for (const key of ["dns", "dns_search", "tmpfs", "env_file"] as const) {
    if (typeof s[key] === "string") out[key] = [s[key]];
  }
  if (s.labels !== undefined) out.labels = toMap(s.labels, "");
  if (s.sysctls !== undefined) out.sysctls = toMap(s.sysctls, "");
  if (s.extra_hosts !== undefined && !Array.isArray(s.extra_hosts)) {
    out.extra_hosts = Object.entries(asObj(s.extra_hosts)).map(([host, ip]) => `${host}:${ip ?? ""}`);
  }
  out.environment = serviceEnvironment(s, path, ctx);
  delete out.env_file;
  if (Object.keys(out.environment as Obj).length === 0) delete out.environment;
  if (Array.isArray(s.ports))
    out.ports = s.ports.flatMap((p, i) => normalizePort(p, [...path, "ports", i], ctx));
  if (Array.isArray(s.volumes)) {
    out.volumes = s.volumes.flatMap((v, i) => {
      if (typeof v !== "string") return [v];
      const mount = report(parseVolumeShort(v), [...path, "volumes", i], ctx);
      if (mount?.type === "bind" && mount.source) mount.source = resolvePath(ctx.baseDir, mount.source);
      return mount ? [mount as unknown as Plain] : [];
    });
  }
  for (const key of ["secrets", "configs"] as const) {
    if (Array.isArray(s[key])) out[key] = s[key].map((r) => (typeof r === "string" ? { source: r } : r));
  }
  if (Array.isArray(s.networks)) {
    out.networks = Object.fromEntries(s.networks.map((n) => [String(n), null]));
    s.networks.forEach((n, i) => {
      ctx.positions.set([...path, "networks", String(n)], ctx.positions.at([...path, "networks", i]));
    });
  }
  const health = s.healthcheck;
  if (health && typeof health === "object" && !Array.isArray(health) && typeof health.test === "string") {
    out.healthcheck = { ...health, test: ["CMD-SHELL", health.test] };
  }
  if (s.ulimits !== undefined) {
    out.ulimits = Object.fromEntries(
      Object.entries(asObj(s.ulimits)).map(([k, v]) => [k, typeof v === "number" ? { soft: v, hard: v } : v]),
    );
  }
  const deploy = s.deploy;
  if (deploy && typeof deploy === "object" && !Array.isArray(deploy) && deploy.labels !== undefined) {
    out.deploy = { ...deploy, labels: toMap(deploy.labels, "") };
  }
  return out as ComposeService;
}

function normalizePort(p: Plain, path: KeyPath, ctx: NormalizeContext): Plain[] {
  if (typeof p !== "string") {
    const long = { protocol: "tcp", mode: "ingress", ...asObj(p) };
    return [long];
  }
  return (report(parsePortShort(p), path, ctx) ?? []) as unknown as Plain[];
}

/** env_file values first, then `environment`; a bare name takes its value from the environment. */
function serviceEnvironment(s: Obj, path: KeyPath, ctx: NormalizeContext): Record<string, string | null> {
  const env: Record<string, string | null> = {};
  const files = typeof s.env_file === "string" ? [s.env_file] : Array.isArray(s.env_file) ? s.env_file : [];
  files.forEach((file, i) => {
    const resolved = resolvePath(ctx.baseDir, String(file));
    const text = ctx.attachedFiles[resolved];
    const at = [...path, "env_file", ...(Array.isArray(s.env_file) ? [i] : [])];
    if (text === undefined) {
      const message = `env_file "${resolved}" was not provided: read it and pass it in attachedFiles`;
      ctx.diagnostics.push(diagnostic(ctx.positions.at(at), at, "file-needed", message));
      return;
    }
    for (const [k, v] of report(parseEnvFile(text), at, ctx) ?? []) {
      if (v !== null) env[k] = v;
      else if (ctx.env[k] !== undefined) env[k] = ctx.env[k];
    }
  });
  for (const [k, v] of Object.entries(toMap(s.environment, null))) env[k] = v ?? ctx.env[k] ?? null;
  return env;
}

/** `["A=1", "B"]` or `{A: 1, B: null}` → a map; a bare name gets `bare`. */
function toMap<T extends string | null>(value: Plain | undefined, bare: T): Record<string, string | T> {
  const out: Record<string, string | T> = {};
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = String(item);
      const eq = text.indexOf("=");
      if (eq < 0) out[text] = bare;
      else out[text.slice(0, eq)] = text.slice(eq + 1);
    }
  } else {
    for (const [k, v] of Object.entries(asObj(value))) out[k] = v === null ? bare : String(v);
  }
  return out;
}

function report<T>(parsed: Parsed<T>, path: KeyPath, ctx: NormalizeContext): T | undefined {
  const at = ctx.positions.at(path);
  if (!parsed.ok) {
    ctx.diagnostics.push(diagnostic(at, path, "invalid-value", parsed.message));
    return undefined;
  }
  if (parsed.warning) ctx.diagnostics.push(diagnostic(at, path, "invalid-value", parsed.warning, "warning"));
  return parsed.value;
}

function asObj(value: Plain | undefined): Obj {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : {};
}

/**
 * A relative path joined to the base directory; absolute and `~` paths are kept. A result that
 * is still relative (the base directory was) keeps a leading `./` so it reads as a path.
 */
export function resolvePath(baseDir: string, path: string): string {
  if (path.startsWith("/") || path.startsWith("~")) return posix.normalize(path);
  const joined = posix.normalize(posix.join(baseDir, path));
  return joined.startsWith("/") || joined.startsWith("../") ? joined : `./${joined}`;
}
