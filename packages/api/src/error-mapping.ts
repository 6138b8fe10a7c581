import { ControlError } from "@shoal/manager";
import { StoreError } from "@shoal/store";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { ApiError, type ApiErrorCode } from "./api-error.ts";

const TRPC_CODE: Readonly<Record<ApiErrorCode, TRPC_ERROR_CODE_KEY>> = {
  unauthenticated: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  "setup-required": "PRECONDITION_FAILED",
  "already-set-up": "CONFLICT",
  "rate-limited": "TOO_MANY_REQUESTS",
  "invalid-argument": "BAD_REQUEST",
  "not-found": "NOT_FOUND",
  "already-exists": "CONFLICT",
  "failed-precondition": "PRECONDITION_FAILED",
  conflict: "CONFLICT",
  unavailable: "SERVICE_UNAVAILABLE",
  internal: "INTERNAL_SERVER_ERROR",
};

/** What a client sees of any failure: a Shoal code and a message a person can act on. */
export interface ExposedError {
  readonly code: ApiErrorCode;
  readonly message: string;
}

/**
 * The only place errors become client-facing: ApiError and ControlError keep their code and
 * message, store refusals map to the nearest code, zod input failures list the fields, anything
 * else is "internal" with no detail (the caller's onInternalError hook gets the real error).
 */
export function exposeError(error: unknown): ExposedError {
  const cause = error instanceof TRPCError && error.cause !== undefined ? error.cause : error;
  if (cause instanceof ApiError || cause instanceof ControlError)
    return { code: cause.code, message: cause.message };
  if (cause instanceof ZodError) {
    const issues = cause.issues
      .slice(0, 5)
      .map((i) => `${i.path.join(".") || "(input)"}: ${i.message}`)
      .join("; ");
    return { code: "invalid-argument", message: `invalid input: ${issues}: fix these fields and try again` };
  }
  if (cause instanceof StoreError) return fromStoreError(cause);
  if (error instanceof TRPCError && error.code !== "INTERNAL_SERVER_ERROR") {
    return { code: error.code === "NOT_FOUND" ? "not-found" : "invalid-argument", message: error.message };
  }
  return {
    code: "internal",
    message: "internal error: the manager's log has the details; try again or report it",
  };
}

export function toTRPCError(error: unknown): TRPCError {
  const exposed = exposeError(error);
  const cause = error instanceof TRPCError && error.cause !== undefined ? error.cause : error;
  return new TRPCError({
    code: TRPC_CODE[exposed.code],
    message: exposed.message,
    cause: cause instanceof Error ? cause : undefined,
  });
}

function fromStoreError(error: StoreError): ExposedError {
  switch (error.code) {
    case "not-writable":
    case "proposal-failed":
      return {
        code: "unavailable",
        message: `the cluster cannot take writes right now (${error.message}): try again shortly`,
      };
    case "version-conflict":
      return { code: "conflict", message: error.message };
    case "name-conflict":
    case "exists":
      return { code: "already-exists", message: error.message };
    case "not-found":
      return { code: "not-found", message: error.message };
    default:
      return { code: "invalid-argument", message: error.message };
  }
}
