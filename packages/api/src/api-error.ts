/**
 * Expected failures of the API layer itself (authentication, authorisation, setup, rate limits).
 * Control API failures arrive as the manager's ControlError; `error-mapping.ts` turns both into
 * tRPC errors with the same `code` for clients.
 */
export type ApiErrorCode =
  | "unauthenticated" // no credentials, or credentials that are not valid
  | "forbidden" // valid credentials, role too low
  | "setup-required" // no user exists yet: only auth.setup is open
  | "already-set-up" // auth.setup after the first user exists
  | "rate-limited" // too many failed logins
  | "invalid-argument"
  | "not-found"
  | "already-exists"
  | "failed-precondition"
  | "conflict"
  | "unavailable" // no leader, the store cannot be written right now
  | "internal";

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}
