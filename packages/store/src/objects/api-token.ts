import { z } from "zod";
import { Milliseconds, ObjectId, ObjectMeta, ObjectName } from "./common.ts";
import { UserRole } from "./user.ts";

export const ApiTokenSpec = z.object({
  /** Unique per user. */
  name: ObjectName,
  userId: ObjectId,
  /** The token acts with the lower of this role and its user's current role. */
  role: UserRole,
  /** When the token stops working; absent = until revoked. */
  expiresAtMs: Milliseconds.optional(),
});
export type ApiTokenSpec = z.infer<typeof ApiTokenSpec>;

/**
 * A bearer token for the API. Only a hash of the secret is stored (SHA-256, hex): a revoked
 * (deleted) token is refused by every manager, since every manager reads the same store.
 */
export const ApiToken = z.object({
  ...ObjectMeta,
  spec: ApiTokenSpec,
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/, "a token hash is 64 lower-case hex characters"),
  /** The first characters of the token, shown in lists so people can tell tokens apart. */
  prefix: z.string().max(16),
});
export type ApiToken = z.infer<typeof ApiToken>;
