import bcrypt from "bcryptjs";

/** Named limit: bcrypt cost (2^11 rounds, ~0.1-0.3 s per hash here). */
export const BCRYPT_COST = 11;
export const PASSWORD_CHARS_MIN = 8;
/** bcrypt reads at most 72 bytes. */
export const PASSWORD_BYTES_MAX = 72;

export function hashPassword(password: string, cost: number = BCRYPT_COST): Promise<string> {
  return bcrypt.hash(password, cost);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/** A hash to compare against when the user does not exist, so timing does not tell. */
export const UNKNOWN_USER_HASH = bcrypt.hashSync("not a password of anyone", 4);
