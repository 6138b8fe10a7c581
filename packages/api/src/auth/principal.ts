import type { UserRole } from "@shoal/store";

/** Who is calling, after authentication. */
export interface Principal {
  readonly userId: string;
  readonly userName: string;
  /** The role in effect: the user's, or the lower of the token's and the user's. */
  readonly role: UserRole;
  readonly via: "session" | "token";
  /** The token's name when `via` is "token". */
  readonly tokenName?: string;
}

/** `user:alice` or `token:alice/ci`: the actor recorded in the log and the audit log. */
export function actorOf(principal: Principal): string {
  return principal.via === "token"
    ? `token:${principal.userName}/${principal.tokenName}`
    : `user:${principal.userName}`;
}
