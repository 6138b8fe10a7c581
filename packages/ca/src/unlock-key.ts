/**
 * Unlock keys (autolock): `SWMKEY-1-<43 characters>`, the unpadded base64 of 32 random bytes, as
 * swarm writes them. The bytes are the key-encrypting key that protects a manager's TLS key and
 * Raft data key on disk.
 */
import { randomBytes } from "node:crypto";
import { CaError } from "./errors.ts";

export const UNLOCK_KEY_PREFIX = "SWMKEY-1-";
export const UNLOCK_KEY_BYTES = 32;
const BODY = /^[A-Za-z0-9+/]{43}$/;

export function generateUnlockKey(random: (size: number) => Uint8Array = randomBytes): string {
  return UNLOCK_KEY_PREFIX + Buffer.from(random(UNLOCK_KEY_BYTES)).toString("base64").replace(/=+$/, "");
}

/** The key-encrypting key an unlock key stands for; CaError INVALID_UNLOCK_KEY ("invalid key") if malformed. */
export function parseUnlockKey(text: string): Uint8Array {
  const key = text.trim();
  const body = key.startsWith(UNLOCK_KEY_PREFIX) ? key.slice(UNLOCK_KEY_PREFIX.length) : "";
  if (!BODY.test(body)) {
    throw new CaError(
      "INVALID_UNLOCK_KEY",
      `invalid key: an unlock key looks like ${UNLOCK_KEY_PREFIX}<43 characters>`,
    );
  }
  return new Uint8Array(Buffer.from(body, "base64"));
}
