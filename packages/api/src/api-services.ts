import type { ApiContext } from "./api-context.ts";
import { Authenticator } from "./auth/authenticator.ts";
import { type LoginLimits, LoginRateLimiter } from "./auth/login-rate-limiter.ts";

/** What lives as long as the API on one manager (shared by every request and socket). */
export interface ApiServices {
  readonly api: ApiContext;
  readonly authenticator: Authenticator;
  readonly loginLimiter: LoginRateLimiter;
}

export function createApiServices(api: ApiContext, options: { loginLimits?: LoginLimits } = {}): ApiServices {
  return {
    api,
    authenticator: new Authenticator(api.store, api.clock),
    loginLimiter: new LoginRateLimiter(options.loginLimits),
  };
}
