import type { ApiContext } from "./api-context.ts";
import { Authenticator } from "./auth/authenticator.ts";
import { type LoginLimits, LoginRateLimiter } from "./auth/login-rate-limiter.ts";
import { BCRYPT_COST } from "./auth/passwords.ts";

/** What lives as long as the API on one manager (shared by every request and socket). */
export interface ApiServices {
  readonly api: ApiContext;
  readonly authenticator: Authenticator;
  readonly loginLimiter: LoginRateLimiter;
  /** bcrypt cost of new password hashes (BCRYPT_COST; tests lower it). */
  readonly bcryptCost: number;
}

export function createApiServices(
  api: ApiContext,
  options: { loginLimits?: LoginLimits; bcryptCost?: number } = {},
): ApiServices {
  return {
    api,
    authenticator: new Authenticator(api.store, api.clock),
    loginLimiter: new LoginRateLimiter(options.loginLimits),
    bcryptCost: options.bcryptCost ?? BCRYPT_COST,
  };
}
