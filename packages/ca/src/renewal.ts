import { assert } from "./errors.ts";

/** Injected randomness (the same shape as the Raft package's), so a seed replays a schedule. */
export interface Rng {
  /** An integer in [0, n). */
  intn(n: number): number;
}

/** Renewal starts no earlier than this fraction of a certificate's lifetime... */
export const RENEWAL_LIFETIME_FRACTION_MIN = 0.5;
/** ...and no later than this one, so every node renews well before expiry, but not all at once. */
export const RENEWAL_LIFETIME_FRACTION_MAX = 0.8;

/**
 * When a node should renew a certificate valid from `notBefore` to `notAfter`: a uniformly random
 * instant between 50% and 80% of its lifetime, so a cluster's nodes do not all renew together.
 * Pure: the caller supplies the randomness and compares the result with its own clock.
 */
export function renewalTime(notBefore: Date, notAfter: Date, rng: Rng): Date {
  const lifetimeMs = notAfter.getTime() - notBefore.getTime();
  assert(lifetimeMs > 0, "a certificate's notAfter is after its notBefore");
  const earliestMs = Math.ceil(lifetimeMs * RENEWAL_LIFETIME_FRACTION_MIN);
  const latestMs = Math.floor(lifetimeMs * RENEWAL_LIFETIME_FRACTION_MAX);
  const spanMs = Math.max(latestMs - earliestMs, 0);
  const offsetMs = earliestMs + rng.intn(spanMs + 1);
  assert(offsetMs >= earliestMs && offsetMs <= Math.max(latestMs, earliestMs), "rng.intn(n) is in [0, n)");
  return new Date(notBefore.getTime() + offsetMs);
}
