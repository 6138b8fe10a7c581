/** Named limits: failed logins allowed per user name and client address within the window. */
export const LOGIN_FAILURES_MAX = 5;
export const LOGIN_WINDOW_MS = 5 * 60 * 1_000;
/** Named limit: (user, address) pairs tracked; the oldest are forgotten past it. */
export const LOGIN_TRACKED_MAX = 10_000;

export interface LoginLimits {
  readonly failuresMax: number;
  readonly windowMs: number;
  readonly trackedMax: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  failuresMax: LOGIN_FAILURES_MAX,
  windowMs: LOGIN_WINDOW_MS,
  trackedMax: LOGIN_TRACKED_MAX,
};

/**
 * Counts failed logins per (user name, client address) in a fixed window. Per manager, in memory:
 * an attacker spreading attempts over managers gets `failuresMax` per manager.
 */
export class LoginRateLimiter {
  // Invariant: every entry has count >= 1 and its window started at startMs.
  private readonly failures = new Map<string, { count: number; startMs: number }>();

  constructor(private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
    if (limits.failuresMax < 1 || limits.windowMs < 1 || limits.trackedMax < 1) {
      throw new Error("login limits must be positive");
    }
  }

  /** Milliseconds until this pair may try again; 0 when it may try now. */
  retryAfterMs(user: string, ip: string, nowMs: number): number {
    const entry = this.failures.get(key(user, ip));
    if (entry === undefined || nowMs - entry.startMs >= this.limits.windowMs) return 0;
    return entry.count >= this.limits.failuresMax ? entry.startMs + this.limits.windowMs - nowMs : 0;
  }

  recordFailure(user: string, ip: string, nowMs: number): void {
    const k = key(user, ip);
    const entry = this.failures.get(k);
    if (entry === undefined || nowMs - entry.startMs >= this.limits.windowMs) {
      this.failures.delete(k);
      if (this.failures.size >= this.limits.trackedMax) {
        this.failures.delete(this.failures.keys().next().value as string);
      }
      this.failures.set(k, { count: 1, startMs: nowMs });
    } else {
      entry.count++;
    }
  }

  recordSuccess(user: string, ip: string): void {
    this.failures.delete(key(user, ip));
  }
}

function key(user: string, ip: string): string {
  return `${user.toLowerCase()}\u0000${ip}`;
}
