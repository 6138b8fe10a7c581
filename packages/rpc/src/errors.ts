/**
 * Expected failures of a remote call. Handlers throw RpcError (or a CaError, mapped here) and the
 * caller receives an RpcError with the same code and message: the code is the gRPC status name.
 */
import * as grpc from "@grpc/grpc-js";
import { CaError, type CaErrorCode } from "@shoal/ca";

export type RpcErrorCode = keyof typeof grpc.status;

export class RpcError extends Error {
  override readonly name = "RpcError";
  constructor(
    readonly code: RpcErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The numeric gRPC status for this error. */
  get status(): grpc.status {
    return grpc.status[this.code];
  }
}

const CA_ERROR_STATUS: Record<CaErrorCode, RpcErrorCode> = {
  INVALID_JOIN_TOKEN: "PERMISSION_DENIED",
  CA_MISMATCH: "FAILED_PRECONDITION",
  INVALID_ROOT_CA: "FAILED_PRECONDITION",
  INVALID_CSR: "INVALID_ARGUMENT",
  INVALID_ISSUE_REQUEST: "INVALID_ARGUMENT",
  KEY_MISMATCH: "INVALID_ARGUMENT",
  INVALID_STORED_CREDENTIALS: "INTERNAL",
  KEY_LOCKED: "FAILED_PRECONDITION",
  INVALID_UNLOCK_KEY: "INVALID_ARGUMENT",
  PEER_UNTRUSTED: "UNAUTHENTICATED",
  PEER_MALFORMED: "UNAUTHENTICATED",
  PEER_ROLE_NOT_ALLOWED: "PERMISSION_DENIED",
  PEER_WRONG_CLUSTER: "PERMISSION_DENIED",
  PEER_REMOVED: "PERMISSION_DENIED",
};

/** What a handler's thrown value becomes on the wire. Unknown errors are INTERNAL. */
export function toServiceError(err: unknown): grpc.ServiceError {
  const rpc = toRpcError(err);
  const out = new Error(rpc.message) as grpc.ServiceError;
  out.code = rpc.status;
  out.details = rpc.message;
  out.metadata = new grpc.Metadata();
  return out;
}

export function toRpcError(err: unknown): RpcError {
  if (err instanceof RpcError) return err;
  if (err instanceof CaError) return new RpcError(CA_ERROR_STATUS[err.code], err.message, { cause: err });
  return new RpcError("INTERNAL", `internal error: ${err instanceof Error ? err.message : String(err)}`, {
    cause: err,
  });
}

/** A failed call as the client sees it: the status name and the server's message. */
export function fromServiceError(err: unknown, what: string): RpcError {
  const e = err as Partial<grpc.ServiceError>;
  if (typeof e?.code === "number") {
    const name = (grpc.status[e.code] ?? "UNKNOWN") as RpcErrorCode;
    const details = e.details || e.message || "no details";
    return new RpcError(name, `${what}: ${details}`, { cause: err });
  }
  return new RpcError("UNKNOWN", `${what}: ${err instanceof Error ? err.message : String(err)}`, {
    cause: err,
  });
}
