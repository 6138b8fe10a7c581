import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const SESSION_COOKIE_NAME = "shoal_session";
/** Named limit: how long a login lasts. */
export const SESSION_LIFETIME_MS = 12 * 3600 * 1_000;

export interface SessionClaims {
  readonly userId: string;
  /** Ties the session to the password it was made with: changing the password logs out. */
  readonly passwordTag: string;
  readonly expiresAtMs: number;
}

export function passwordTagOf(passwordHash: string): string {
  return createHash("sha256").update(passwordHash).digest("base64url").slice(0, 12);
}

/** `<claims base64url>.<HMAC-SHA256 base64url>`, signed with the cluster-wide session key. */
export function signSession(keyBase64: string, claims: SessionClaims): string {
  const body = Buffer.from(JSON.stringify([claims.userId, claims.passwordTag, claims.expiresAtMs])).toString(
    "base64url",
  );
  return `${body}.${mac(keyBase64, body)}`;
}

/** The claims of a cookie signed with this key and not expired; undefined otherwise. */
export function verifySession(keyBase64: string, value: string, nowMs: number): SessionClaims | undefined {
  const dot = value.indexOf(".");
  if (dot < 0) return undefined;
  const body = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1), "base64url");
  const expected = Buffer.from(mac(keyBase64, body), "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const [userId, passwordTag, expiresAtMs] = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    if (typeof userId !== "string" || typeof passwordTag !== "string" || typeof expiresAtMs !== "number") {
      return undefined;
    }
    return expiresAtMs > nowMs ? { userId, passwordTag, expiresAtMs } : undefined;
  } catch {
    return undefined;
  }
}

function mac(keyBase64: string, body: string): string {
  return createHmac("sha256", Buffer.from(keyBase64, "base64")).update(body).digest("base64url");
}

/** The Set-Cookie header for a session (HttpOnly, SameSite=Lax; Secure when served over TLS). */
export function sessionCookie(value: string, maxAgeMs: number, secure: boolean): string {
  const parts = [`${SESSION_COOKIE_NAME}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax"];
  parts.push(`Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1_000))}`);
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

/** The value of one cookie in a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
