import { z } from "zod";
import { ObjectMeta } from "./common.ts";

/** What a user may do through the API: viewer reads, operator runs workloads, admin manages access. */
export const UserRole = z.enum(["viewer", "operator", "admin"]);
export type UserRole = z.infer<typeof UserRole>;

/** A login name: letters, digits, `_.-@`, starting with a letter or digit. */
export const UserName = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[a-zA-Z0-9][a-zA-Z0-9_.@-]*$/,
    "a user name starts with a letter or digit, then letters, digits, _ . @ -",
  );

export const UserSpec = z.object({
  name: UserName,
  role: UserRole,
  /** A disabled user cannot log in and their tokens are refused. */
  disabled: z.boolean(),
});
export type UserSpec = z.infer<typeof UserSpec>;

/** A person (or robot) allowed to use the API. Cluster-wide, so a login works on any manager. */
export const User = z.object({
  ...ObjectMeta,
  spec: UserSpec,
  /** bcrypt hash of the password; never leaves the API layer. */
  passwordHash: z.string().min(1),
});
export type User = z.infer<typeof User>;
