/**
 * Turns typed, promise-returning handlers into gRPC handlers: the request is validated with its
 * zod schema (INVALID_ARGUMENT on failure), the verified caller is handed over, and whatever the
 * handler throws becomes a status with a clear message (errors.ts).
 */
import type * as grpc from "@grpc/grpc-js";
import type { PeerIdentity } from "@shoal/ca";
import type { z } from "zod";
import { readVerifiedPeer, readVerifiedRemote } from "../auth/verified-peer.ts";
import { RpcError, toServiceError } from "../errors.ts";

export interface CallContext {
  /** The caller's verified identity; undefined only on open methods called without a certificate. */
  readonly peer: PeerIdentity | undefined;
  /** "ip:port" of the caller as gRPC saw it. */
  readonly remote: string;
  /** Aborted when the caller cancels or the connection drops. */
  readonly signal: AbortSignal;
}

export type UnaryHandler<Req, Res> = (request: Req, context: CallContext) => Promise<Res>;

/** A server stream: the handler sends messages until it returns (or the signal aborts). */
export type ServerStreamHandler<Req, Res> = (
  request: Req,
  context: CallContext,
  send: (message: Res) => Promise<void>,
) => Promise<void>;

export function adaptUnary<S extends z.ZodType, Res>(
  method: string,
  schema: S,
  handler: UnaryHandler<z.infer<S>, Res>,
): grpc.handleUnaryCall<unknown, Res> {
  return (call, callback) => {
    const context = callContext(call);
    Promise.resolve()
      .then(() => handler(parseRequest(method, schema, call.request), context))
      .then(
        (response) => callback(null, response),
        (err: unknown) => callback(toServiceError(err)),
      );
  };
}

export function adaptServerStream<S extends z.ZodType, Res>(
  method: string,
  schema: S,
  handler: ServerStreamHandler<z.infer<S>, Res>,
): grpc.handleServerStreamingCall<unknown, Res> {
  return (call) => {
    const context = callContext(call);
    const send = (message: Res): Promise<void> => {
      if (context.signal.aborted)
        return Promise.reject(new RpcError("CANCELLED", `${method}: caller went away`));
      if (call.write(message)) return Promise.resolve();
      // Wait for the buffer to drain, or give up when the caller goes away (no drain then).
      return new Promise((resolve, reject) => {
        const onAbort = () => reject(new RpcError("CANCELLED", `${method}: caller went away`));
        context.signal.addEventListener("abort", onAbort, { once: true });
        call.once("drain", () => {
          context.signal.removeEventListener("abort", onAbort);
          resolve();
        });
      });
    };
    Promise.resolve()
      .then(() => handler(parseRequest(method, schema, call.request), context, send))
      .then(
        () => call.end(),
        (err: unknown) => {
          // emit("error") sends the status to the client; destroy() would leave its stream hanging.
          if (!context.signal.aborted) call.emit("error", toServiceError(err));
        },
      );
  };
}

export function parseRequest<S extends z.ZodType>(method: string, schema: S, request: unknown): z.infer<S> {
  const result = schema.safeParse(request);
  if (!result.success) {
    const issues = result.error.issues
      .map((i) => `${i.path.join(".") || "request"}: ${i.message}`)
      .join("; ");
    throw new RpcError("INVALID_ARGUMENT", `${method}: bad request (${issues})`);
  }
  return result.data;
}

/** The verified caller of a call and a signal that aborts when the caller cancels it. */
export function callContext(call: {
  readonly metadata: grpc.Metadata;
  getPeer(): string;
  once(event: "cancelled", listener: () => void): unknown;
}): CallContext {
  const controller = new AbortController();
  call.once("cancelled", () => controller.abort());
  return {
    peer: readVerifiedPeer(call.metadata),
    remote: readVerifiedRemote(call.metadata, call.getPeer()),
    signal: controller.signal,
  };
}

/** A handler for a method this node does not serve (yet). */
export function notServed(method: string) {
  return (_call: unknown, callback?: (err: grpc.ServiceError) => void) => {
    const err = toServiceError(new RpcError("UNIMPLEMENTED", `${method} is not served by this node yet`));
    if (callback) callback(err);
    else (_call as { emit(event: "error", e: Error): void }).emit("error", err);
  };
}
