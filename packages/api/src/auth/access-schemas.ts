import { ApiToken, Count, Milliseconds, ObjectName, User, UserName, UserRole } from "@shoal/store";
import { z } from "zod";
import { PASSWORD_BYTES_MAX, PASSWORD_CHARS_MIN } from "./passwords.ts";

/** A password as people type it (checked before hashing; bcrypt reads 72 bytes at most). */
export const Password = z
  .string()
  .min(PASSWORD_CHARS_MIN, `a password has at least ${PASSWORD_CHARS_MIN} characters`)
  .refine(
    (p) => Buffer.byteLength(p) <= PASSWORD_BYTES_MAX,
    `a password has at most ${PASSWORD_BYTES_MAX} bytes`,
  );

/** A user as the API shows it: never the password hash. */
export const UserView = User.omit({ passwordHash: true });
export type UserView = z.infer<typeof UserView>;
/** A token as the API shows it: never the hash. */
export const ApiTokenView = ApiToken.omit({ tokenHash: true });
export type ApiTokenView = z.infer<typeof ApiTokenView>;

export const UserRef = z.string().min(1, "name the user (name or id)");

// What routers accept from people.
export const SetupInput = z.object({ name: UserName, password: Password });
export const LoginInput = z.object({ name: z.string().min(1), password: z.string().min(1).max(1_024) });
export const CreateUserInput = z.object({ name: UserName, role: UserRole, password: Password });
export const UpdateUserInput = z.object({
  user: UserRef,
  version: Count.optional(),
  role: UserRole.optional(),
  disabled: z.boolean().optional(),
  password: Password.optional(),
});
export const RemoveUserInput = z.object({ user: UserRef });
export const CreateTokenInput = z.object({
  name: ObjectName,
  /** The token's role; at most the caller's. Defaults to the caller's role. */
  role: UserRole.optional(),
  /** Lifetime; absent = until revoked. */
  ttlMs: z.number().int().min(60_000).optional(),
  /** Admins may make tokens for other users. */
  user: UserRef.optional(),
});
export const RevokeTokenInput = z.object({
  token: z.string().min(1, "name the token (name or id)"),
  user: UserRef.optional(),
});
export const CreatedToken = z.object({ token: ApiTokenView, secret: z.string() });

// What the control procedures receive (secrets already hashed by the router).
export const SetupControlInput = z.object({
  name: UserName,
  passwordHash: z.string().min(1),
  sessionKeyBase64: z.string().min(1),
});
export const CreateUserControlInput = z.object({
  name: UserName,
  role: UserRole,
  passwordHash: z.string().min(1),
});
export const UpdateUserControlInput = UpdateUserInput.omit({ password: true }).extend({
  passwordHash: z.string().min(1).optional(),
});
export const CreateTokenControlInput = z.object({
  name: ObjectName,
  userId: z.string().min(1),
  role: UserRole,
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  prefix: z.string().max(16),
  expiresAtMs: Milliseconds.optional(),
});
export const RevokeTokenControlInput = z.object({ tokenId: z.string().min(1) });
