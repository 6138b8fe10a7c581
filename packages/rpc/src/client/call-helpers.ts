/**
 * Client-side calls: promise-returning unary calls with a deadline, and server streams as async
 * iterables; every response is validated with its zod schema (a manager speaking another
 * version is refused with a clear message instead of corrupting the caller's state).
 */
import * as grpc from "@grpc/grpc-js";
import type { z } from "zod";
import { fromServiceError, RpcError } from "../errors.ts";

/** Deadline of a unary call unless the caller gives one. */
export const UNARY_DEADLINE_MS_DEFAULT = 10_000;

type UnaryMethod = (
  request: unknown,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (err: grpc.ServiceError | null, response: unknown) => void,
) => grpc.ClientUnaryCall;

type StreamMethod = (
  request: unknown,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
) => grpc.ClientReadableStream<unknown>;

export function unaryCall<S extends z.ZodType>(
  client: grpc.Client,
  method: string,
  request: unknown,
  responseSchema: S,
  options: { deadlineMs?: number; metadata?: grpc.Metadata } = {},
): Promise<z.infer<S>> {
  const fn = (client as unknown as Record<string, UnaryMethod>)[method];
  if (typeof fn !== "function") throw new Error(`client has no method ${method}`);
  const deadline = new Date(Date.now() + (options.deadlineMs ?? UNARY_DEADLINE_MS_DEFAULT));
  return new Promise((resolve, reject) => {
    fn.call(client, request, options.metadata ?? new grpc.Metadata(), { deadline }, (err, response) => {
      if (err) reject(fromServiceError(err, method));
      else {
        try {
          resolve(parseResponse(method, responseSchema, response));
        } catch (parseError) {
          reject(parseError);
        }
      }
    });
  });
}

/** A server stream as an async iterable; breaking out of the loop cancels the call. */
export async function* serverStream<S extends z.ZodType>(
  client: grpc.Client,
  method: string,
  request: unknown,
  messageSchema: S,
  options: { signal?: AbortSignal; metadata?: grpc.Metadata } = {},
): AsyncGenerator<z.infer<S>, void, undefined> {
  const fn = (client as unknown as Record<string, StreamMethod>)[method];
  if (typeof fn !== "function") throw new Error(`client has no method ${method}`);
  const call = fn.call(client, request, options.metadata ?? new grpc.Metadata(), {});
  const onAbort = () => call.cancel();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for await (const message of call) yield parseResponse(method, messageSchema, message);
  } catch (err) {
    if (err instanceof RpcError) throw err;
    throw fromServiceError(err, method);
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    call.cancel();
  }
}

export function parseResponse<S extends z.ZodType>(method: string, schema: S, response: unknown): z.infer<S> {
  const result = schema.safeParse(response);
  if (!result.success) {
    const issues = result.error.issues
      .map((i) => `${i.path.join(".") || "response"}: ${i.message}`)
      .join("; ");
    throw new RpcError("INTERNAL", `${method}: the manager sent a malformed response (${issues})`);
  }
  return result.data;
}
