import type { Clock } from "@shoal/manager";
import type { ApiToken, ReadView, Store, User } from "@shoal/store";
import { ApiError } from "../api-error.ts";
import { hashApiToken } from "./api-tokens.ts";
import type { Principal } from "./principal.ts";
import { lowerRole } from "./roles.ts";
import { passwordTagOf, readCookie, SESSION_COOKIE_NAME, verifySession } from "./sessions.ts";

/** The credentials of one request or socket handshake. */
export interface Credentials {
  /** The Authorization header: `Bearer shoal_...`. */
  readonly authorization?: string | undefined;
  /** The Cookie header. */
  readonly cookie?: string | undefined;
}

/**
 * Turns credentials into a Principal by reading the replicated store: users, tokens and the
 * session key are cluster-wide, so a token revoked (deleted) through any manager is refused here as
 * soon as this manager applies the deletion. No credentials = undefined (anonymous); credentials
 * that are not valid = ApiError "unauthenticated" (never silently anonymous).
 */
export class Authenticator {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  authenticate(credentials: Credentials): Principal | undefined {
    const bearer = /^Bearer\s+(\S+)$/i.exec(credentials.authorization ?? "")?.[1];
    if (bearer !== undefined) return this.store.view((v) => this.byToken(v, bearer));
    if (credentials.authorization !== undefined && credentials.authorization !== "") {
      throw new ApiError("unauthenticated", "the Authorization header must be `Bearer <API token>`");
    }
    const session = readCookie(credentials.cookie, SESSION_COOKIE_NAME);
    if (session !== undefined && session !== "") return this.store.view((v) => this.bySession(v, session));
    return undefined;
  }

  /** Whether the first user still has to be created (only auth.setup is open until then). */
  needsSetup(): boolean {
    return this.store.view((v) => v.users.count() === 0);
  }

  private byToken(v: ReadView, secret: string): Principal {
    const token = v.apiTokens.byHash(hashApiToken(secret));
    if (token === undefined) {
      throw new ApiError(
        "unauthenticated",
        "this API token is not valid (revoked, or mistyped): ask an admin for a new one (tokens.create)",
      );
    }
    if (token.spec.expiresAtMs !== undefined && token.spec.expiresAtMs <= this.clock.nowMs()) {
      throw new ApiError("unauthenticated", `API token "${token.spec.name}" has expired: create a new one`);
    }
    const user = activeUser(v, token.spec.userId);
    return tokenPrincipal(user, token);
  }

  private bySession(v: ReadView, cookie: string): Principal {
    const key = v.sessionKeys.all()[0];
    const claims =
      key === undefined ? undefined : verifySession(key.spec.keyBase64, cookie, this.clock.nowMs());
    const user = claims === undefined ? undefined : v.users.get(claims.userId);
    if (
      claims === undefined ||
      user === undefined ||
      passwordTagOf(user.passwordHash) !== claims.passwordTag
    ) {
      throw new ApiError("unauthenticated", "your session has expired or was ended: log in again");
    }
    const active = activeUser(v, user.id);
    return { userId: active.id, userName: active.spec.name, role: active.spec.role, via: "session" };
  }
}

function activeUser(v: ReadView, userId: string): User {
  const user = v.users.get(userId);
  if (user === undefined)
    throw new ApiError("unauthenticated", "this user no longer exists: log in as another user");
  if (user.spec.disabled) {
    throw new ApiError("unauthenticated", `user "${user.spec.name}" is disabled: ask an admin to enable it`);
  }
  return user;
}

function tokenPrincipal(user: User, token: ApiToken): Principal {
  return {
    userId: user.id,
    userName: user.spec.name,
    role: lowerRole(token.spec.role, user.spec.role),
    via: "token",
    tokenName: token.spec.name,
  };
}
