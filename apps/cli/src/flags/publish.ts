/**
 * `--publish`/`-p` in docker's two forms: `published=8080,target=80,protocol=udp,mode=host` and
 * `[PUBLISHED[-END]:]TARGET[-END][/PROTOCOL]` (`8080:80`, `53:53/udp`, `80`, `8000-8001:80-81`).
 */
import { UsageError } from "../cli-error.ts";

export interface PublishedPort {
  protocol: "tcp" | "udp" | "sctp";
  targetPort: number;
  publishedPort: number;
  publishMode: "ingress" | "host";
}

const PROTOCOLS = ["tcp", "udp", "sctp"] as const;

export function parsePublish(text: string): PublishedPort[] {
  return text.includes("=") ? [parseLongForm(text)] : parseShortForm(text);
}

function parseLongForm(text: string): PublishedPort {
  const port: Partial<PublishedPort> = { protocol: "tcp", publishedPort: 0, publishMode: "ingress" };
  for (const field of text.split(",")) {
    const eq = field.indexOf("=");
    const key = (eq < 0 ? field : field.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? "" : field.slice(eq + 1).trim();
    switch (key) {
      case "published":
        port.publishedPort = portNumber(text, value, true);
        break;
      case "target":
        port.targetPort = portNumber(text, value, false);
        break;
      case "protocol":
        port.protocol = protocol(text, value);
        break;
      case "mode":
        if (value !== "ingress" && value !== "host")
          throw bad(text, `mode is ingress or host, not "${value}"`);
        port.publishMode = value;
        break;
      default:
        throw bad(text, `unknown field "${key}" (published, target, protocol, mode)`);
    }
  }
  if (port.targetPort === undefined) throw bad(text, "target= is required");
  return port as PublishedPort;
}

function parseShortForm(text: string): PublishedPort[] {
  const m = /^(?:(\d+)(?:-(\d+))?:)?(\d+)(?:-(\d+))?(?:\/([a-z]+))?$/i.exec(text.trim());
  if (!m) throw bad(text, "use PUBLISHED:TARGET[/PROTOCOL] or published=,target=,protocol=,mode=");
  const proto = protocol(text, m[5] ?? "tcp");
  const targetStart = portNumber(text, m[3] ?? "", false);
  const targetEnd = m[4] ? portNumber(text, m[4], false) : targetStart;
  const publishedStart = m[1] ? portNumber(text, m[1], true) : 0;
  const publishedEnd = m[2]
    ? portNumber(text, m[2], true)
    : m[1]
      ? publishedStart + (targetEnd - targetStart)
      : 0;
  if (targetEnd < targetStart) throw bad(text, "a range ends after it starts");
  if (m[1] && publishedEnd - publishedStart !== targetEnd - targetStart) {
    throw bad(text, "the published and target ranges have different lengths");
  }
  const ports: PublishedPort[] = [];
  for (let i = 0; i <= targetEnd - targetStart; i++) {
    ports.push({
      protocol: proto,
      targetPort: targetStart + i,
      publishedPort: m[1] ? publishedStart + i : 0,
      publishMode: "ingress",
    });
  }
  return ports;
}

function portNumber(text: string, value: string, zeroAllowed: boolean): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535 || (n === 0 && !zeroAllowed)) {
    throw bad(text, `"${value}" is not a port number`);
  }
  return n;
}

function protocol(text: string, value: string): PublishedPort["protocol"] {
  const p = value.toLowerCase();
  if (!(PROTOCOLS as readonly string[]).includes(p))
    throw bad(text, `protocol is tcp, udp or sctp, not "${value}"`);
  return p as PublishedPort["protocol"];
}

function bad(text: string, why: string): UsageError {
  return new UsageError(`--publish ${text}: ${why}`);
}

/** docker's PORTS column: `*:8080->80/tcp`. */
export function formatPort(p: { publishedPort: number; targetPort: number; protocol: string }): string {
  return `*:${p.publishedPort}->${p.targetPort}/${p.protocol}`;
}
