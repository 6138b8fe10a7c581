/** Which manager the CLI talks to: -H/--host, else SHOAL_HOST, else http://127.0.0.1:8080. */
import { UsageError } from "./cli-error.ts";

export const DEFAULT_HOST = "http://127.0.0.1:8080";

/**
 * Normalises what a user types after -H: `http(s)://host:port`, `tcp://host:port` (docker's
 * form, read as http) or a bare `host:port`. Returns the origin without a trailing slash.
 */
export function normalizeHost(text: string): string {
  const raw = text.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw)
    ? raw.replace(/^tcp:\/\//i, "http://")
    : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`-H ${text}: a host is http://host:port (or host:port)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`-H ${text}: only http:// and https:// hosts are supported`);
  }
  return url.origin;
}

export function resolveHost(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return normalizeHost(flag ?? env.SHOAL_HOST ?? DEFAULT_HOST);
}
