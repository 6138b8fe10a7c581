/** Turns the node's own failures into the API's error codes (control errors pass through). */
import { ApiError, type ApiErrorCode } from "@shoal/api";
import { RpcError } from "@shoal/rpc";
import { NodeError, type NodeErrorCode } from "../node-error.ts";

const API_CODE: Readonly<Record<NodeErrorCode, ApiErrorCode>> = {
  "not-in-swarm": "failed-precondition",
  "already-in-swarm": "failed-precondition",
  "not-a-manager": "unavailable",
  "no-leader": "unavailable",
  "join-refused": "failed-precondition",
  unreachable: "unavailable",
  "invalid-argument": "invalid-argument",
  locked: "failed-precondition",
};

export function toApiError(error: unknown): unknown {
  if (error instanceof NodeError) return new ApiError(API_CODE[error.code], error.message);
  if (error instanceof RpcError) {
    return new ApiError("unavailable", `another manager did not answer (${error.message}): try again`);
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  if (error instanceof Error && error.name === "ForwardedError" && typeof code === "string") {
    return new ApiError(code === "not-leader" ? "unavailable" : "internal", error.message);
  }
  return error;
}

/** Runs `fn`, mapping a node failure to an ApiError. */
export async function mapNodeErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toApiError(error);
  }
}
