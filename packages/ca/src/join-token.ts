import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { CaError } from "./errors.ts";
import { NodeRole } from "./node-role.ts";

export const JOIN_TOKEN_PREFIX = "SWMTKN";
export const JOIN_TOKEN_VERSION = 1;
/** SHA-256 (256 bits) written in base36 needs 50 digits. */
export const JOIN_TOKEN_DIGEST_CHARS = 50;
/** Entropy of a token's secret. */
export const JOIN_TOKEN_SECRET_BYTES = 16;
/** 128 bits written in base36 need 25 digits. */
export const JOIN_TOKEN_SECRET_CHARS = 25;

const BASE36 = /^[0-9a-z]+$/;
const DIGEST_MAX = 1n << 256n;
const SECRET_MAX = 1n << BigInt(JOIN_TOKEN_SECRET_BYTES * 8);

export interface ParsedJoinToken {
  readonly version: 1;
  /** SHA-256 of the root CA PEM bytes, 64 lowercase hex characters. */
  readonly rootCaDigestHex: string;
  /** The secret part as written in the token (25 base36 characters). */
  readonly secret: string;
}

export interface JoinTokens {
  readonly worker: string;
  readonly manager: string;
}

/**
 * The digest a join token pins: SHA-256 over the root CA certificate **PEM bytes** exactly as
 * managers serve them. This is what swarm does (`digest.FromBytes(rootCertBytes)` in
 * NewRootCA, checked against the PEM returned by GetRootCACertificate), not a hash of the DER;
 * it covers the whole bundle, so a remote cannot add unpinned roots next to a pinned one.
 */
export function rootCaDigestHex(rootCaPem: string): string {
  return createHash("sha256").update(rootCaPem, "utf8").digest("hex");
}

/** A new token for the root CA `rootCaPem`: `SWMTKN-1-<digest>-<secret>`. */
export function generateJoinToken(
  rootCaPem: string,
  random: (size: number) => Uint8Array = randomBytes,
): string {
  return formatJoinToken(rootCaDigestHex(rootCaPem), random);
}

/** `join-token --rotate`: the same CA digest with a fresh secret. */
export function rotateJoinToken(token: string, random: (size: number) => Uint8Array = randomBytes): string {
  return formatJoinToken(parseJoinToken(token).rootCaDigestHex, random);
}

/** Fresh worker and manager tokens; they share the digest and differ in the secret. */
export function generateJoinTokens(
  rootCaPem: string,
  random: (size: number) => Uint8Array = randomBytes,
): JoinTokens {
  return { worker: generateJoinToken(rootCaPem, random), manager: generateJoinToken(rootCaPem, random) };
}

function formatJoinToken(digestHex: string, random: (size: number) => Uint8Array): string {
  const secretBytes = random(JOIN_TOKEN_SECRET_BYTES);
  if (secretBytes.length !== JOIN_TOKEN_SECRET_BYTES)
    throw new Error("random source returned the wrong size");
  const digest = BigInt(`0x${digestHex}`).toString(36).padStart(JOIN_TOKEN_DIGEST_CHARS, "0");
  const secret = BigInt(`0x${Buffer.from(secretBytes).toString("hex")}`)
    .toString(36)
    .padStart(JOIN_TOKEN_SECRET_CHARS, "0");
  return `${JOIN_TOKEN_PREFIX}-${JOIN_TOKEN_VERSION}-${digest}-${secret}`;
}

/** Parses a join token; surrounding whitespace (a pasted newline) is ignored. */
export function parseJoinToken(token: string): ParsedJoinToken {
  const parts = token.trim().split("-");
  if (parts.length !== 4) {
    throw invalid(`expected 4 parts separated by '-' (SWMTKN-1-<digest>-<secret>), found ${parts.length}`);
  }
  const [prefix, version, digest, secret] = parts as [string, string, string, string];
  if (prefix !== JOIN_TOKEN_PREFIX)
    throw invalid(`it must start with ${JOIN_TOKEN_PREFIX}-, not ${JSON.stringify(prefix + "-")}`);
  if (version !== String(JOIN_TOKEN_VERSION)) {
    throw invalid(`version ${JSON.stringify(version)} is not supported (expected ${JOIN_TOKEN_VERSION})`);
  }
  const digestValue = readBase36(digest, JOIN_TOKEN_DIGEST_CHARS, "CA digest");
  if (digestValue >= DIGEST_MAX) throw invalid("the CA digest is larger than a SHA-256 value");
  const secretValue = readBase36(secret, JOIN_TOKEN_SECRET_CHARS, "secret");
  if (secretValue >= SECRET_MAX) throw invalid(`the secret is larger than ${JOIN_TOKEN_SECRET_BYTES} bytes`);
  return { version: 1, rootCaDigestHex: digestValue.toString(16).padStart(64, "0"), secret };
}

function readBase36(text: string, chars: number, what: string): bigint {
  if (text.length !== chars) throw invalid(`the ${what} must be ${chars} characters, found ${text.length}`);
  if (!BASE36.test(text)) throw invalid(`the ${what} must be lowercase base36 (0-9, a-z)`);
  let value = 0n;
  for (const ch of text) value = value * 36n + BigInt(Number.parseInt(ch, 36));
  return value;
}

function invalid(reason: string): CaError {
  return new CaError("INVALID_JOIN_TOKEN", `invalid join token: ${reason}`);
}

/**
 * Which role a presented token grants, or undefined. Both tokens are always compared, each in
 * constant time (over SHA-256 of the strings, so lengths leak nothing either).
 */
export function matchJoinToken(presented: string, tokens: JoinTokens): NodeRole | undefined {
  const asWorker = constantTimeEquals(presented, tokens.worker);
  const asManager = constantTimeEquals(presented, tokens.manager);
  if (asManager) return NodeRole.Manager;
  if (asWorker) return NodeRole.Worker;
  return undefined;
}

/** Constant-time string equality. */
export function constantTimeEquals(a: string, b: string): boolean {
  const da = createHash("sha256").update(a, "utf8").digest();
  const db = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(da, db);
}
