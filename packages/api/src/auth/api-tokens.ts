import { createHash, randomBytes } from "node:crypto";

/** Tokens look like `shoal_<43 base64url characters>` (32 random bytes). */
export const API_TOKEN_PREFIX = "shoal_";
export const API_TOKEN_SECRET_BYTES = 32;
/** Characters of the token kept in the store to tell tokens apart in lists. */
export const API_TOKEN_SHOWN_CHARS = 10;

export function generateApiToken(random: (size: number) => Uint8Array = randomBytes): string {
  return API_TOKEN_PREFIX + Buffer.from(random(API_TOKEN_SECRET_BYTES)).toString("base64url");
}

/** SHA-256 hex: tokens are long random secrets, so a fast hash is enough (no bcrypt). */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
