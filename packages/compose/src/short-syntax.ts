import { PORT_RANGE_SIZE_MAX } from "./limits.ts";

/**
 * The short forms a service may use, turned into long ones: `8080:80/udp` ports,
 * `src:/target:ro` mounts and shell-style command strings. Each returns a result with a message
 * the caller positions.
 */
export type Parsed<T> = { ok: true; value: T; warning?: string } | { ok: false; message: string };

export interface PortLong {
  target: number;
  published?: number;
  protocol: "tcp" | "udp" | "sctp";
  mode: "ingress" | "host";
  name?: string;
}

const PORT_SHORT =
  /^(?:(?:(\[[0-9a-fA-F:.]*\]|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}):)?(\d+(?:-\d+)?)?:)?(\d+(?:-\d+)?)(?:\/(tcp|udp|sctp))?$/;

/** `[ip:][published[-end]:]target[-end][/protocol]`, as docker's nat.ParsePortSpecs. */
export function parsePortShort(text: string): Parsed<PortLong[]> {
  const m = PORT_SHORT.exec(text.trim());
  if (!m) return { ok: false, message: `invalid port "${text}": expected [published:]target[/protocol]` };
  const [, hostIp, published, target = "", protocol = "tcp"] = m;
  const targets = parseRange(target);
  const publishedPorts = published === undefined ? undefined : parseRange(published);
  if (!targets || (published !== undefined && !publishedPorts)) {
    return { ok: false, message: `invalid port "${text}": ports are 1-65535 and ranges go low-high` };
  }
  if (publishedPorts && publishedPorts.length !== targets.length) {
    return { ok: false, message: `invalid port "${text}": the published and target ranges differ in size` };
  }
  const value = targets.map((t, i): PortLong => {
    const p: PortLong = { target: t, protocol: protocol as PortLong["protocol"], mode: "ingress" };
    const pub = publishedPorts?.[i];
    if (pub !== undefined) p.published = pub;
    return p;
  });
  if (hostIp)
    return { ok: true, value, warning: `host IP "${hostIp}" is ignored: swarm publishes on every address` };
  return { ok: true, value };
}

function parseRange(text: string): number[] | undefined {
  const [lowText = "", highText = lowText] = text.split("-");
  const low = Number(lowText);
  const high = Number(highText);
  if (!(low >= 0 && low <= 65_535 && high >= low && high <= 65_535)) return undefined;
  if (high - low + 1 > PORT_RANGE_SIZE_MAX) return undefined;
  const out: number[] = [];
  for (let p = low; p <= high; p++) out.push(p);
  return out;
}

export interface MountLong {
  type: "volume" | "bind" | "tmpfs" | "npipe";
  source?: string;
  target: string;
  read_only?: boolean;
  bind?: { propagation?: string };
  volume?: { nocopy?: boolean };
  tmpfs?: { size?: number };
}

const PROPAGATIONS = new Set(["shared", "rshared", "slave", "rslave", "private", "rprivate"]);
const IGNORED_MODES = new Set(["rw", "z", "Z", "consistent", "cached", "delegated"]);

/** `target`, `source:target` or `source:target:mode[,mode]`, as docker's compose loader. */
export function parseVolumeShort(text: string): Parsed<MountLong> {
  const parts = text.split(":");
  if (parts.length > 3 || parts.some((p) => p === "")) {
    return { ok: false, message: `invalid volume "${text}": expected [source:]target[:mode]` };
  }
  if (parts.length === 1) return { ok: true, value: { type: "volume", target: parts[0] ?? "" } };
  const [source = "", target = "", modes = ""] = parts;
  const isPath = source.startsWith("/") || source.startsWith(".") || source.startsWith("~");
  const mount: MountLong = { type: isPath ? "bind" : "volume", source, target };
  for (const mode of modes === "" ? [] : modes.split(",")) {
    if (mode === "ro") mount.read_only = true;
    else if (mode === "nocopy" && mount.type === "volume") mount.volume = { nocopy: true };
    else if (PROPAGATIONS.has(mode) && mount.type === "bind") mount.bind = { propagation: mode };
    else if (!IGNORED_MODES.has(mode))
      return { ok: false, message: `invalid volume "${text}": unknown mode "${mode}"` };
  }
  return { ok: true, value: mount };
}

/** Splits a command string as a POSIX shell would (quotes and backslashes; no expansion). */
export function splitShellWords(text: string): Parsed<string[]> {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "\\" && i + 1 < text.length && '"\\$`'.includes(text[i + 1] as string))
        word += text[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote)
    return { ok: false, message: `unterminated ${quote === "'" ? "single" : "double"} quote in "${text}"` };
  if (inWord) words.push(word);
  return { ok: true, value: words };
}

/** `KEY=value` lines of an env file: `#` comments and blank lines skipped, values taken literally. */
export function parseEnvFile(text: string): Parsed<[string, string | null][]> {
  const out: [string, string | null][] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").replace(/^\s+/, "");
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    const key = eq < 0 ? line.trimEnd() : line.slice(0, eq);
    if (key === "" || /\s/.test(key))
      return { ok: false, message: `line ${i + 1}: invalid variable name "${key}"` };
    out.push([key, eq < 0 ? null : line.slice(eq + 1)]);
  }
  return { ok: true, value: out };
}
