/**
 * Client streams on the caller's side: `send` waits while gRPC's buffer is full (HTTP/2 flow
 * control), `finish` half-closes and resolves with the validated response.
 */
import * as grpc from "@grpc/grpc-js";
import type { z } from "zod";
import { fromServiceError, RpcError } from "../errors.ts";
import { parseResponse } from "./call-helpers.ts";

type ClientStreamMethod = (
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (err: grpc.ServiceError | null, response: unknown) => void,
) => grpc.ClientWritableStream<unknown>;

export interface ClientStreamCall<Req, Res> {
  send(message: Req): Promise<void>;
  /** Half-closes the stream; resolves with the server's response. */
  finish(): Promise<Res>;
  /** Abandons the call (the server sees CANCELLED). */
  cancel(): void;
}

export function clientStream<Req, S extends z.ZodType>(
  client: grpc.Client,
  method: string,
  responseSchema: S,
  options: { signal?: AbortSignal; metadata?: grpc.Metadata } = {},
): ClientStreamCall<Req, z.infer<S>> {
  const fn = (client as unknown as Record<string, ClientStreamMethod>)[method];
  if (typeof fn !== "function") throw new Error(`client has no method ${method}`);
  let settle: { resolve: (r: unknown) => void; reject: (e: unknown) => void } | undefined;
  let outcome: { ok: true; response: unknown } | { ok: false; error: unknown } | undefined;
  const call = fn.call(client, options.metadata ?? new grpc.Metadata(), {}, (err, response) => {
    outcome = err ? { ok: false, error: fromServiceError(err, method) } : { ok: true, response };
    if (settle) deliver();
  });
  const deliver = () => {
    if (!outcome || !settle) return;
    if (!outcome.ok) settle.reject(outcome.error);
    else {
      try {
        settle.resolve(parseResponse(method, responseSchema, outcome.response));
      } catch (err) {
        settle.reject(err);
      }
    }
  };
  const onAbort = () => call.cancel();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  call.on("error", () => {}); // the callback carries the status
  return {
    send(message) {
      if (outcome) {
        return Promise.reject(
          outcome.ok ? new RpcError("CANCELLED", `${method}: the call already ended`) : outcome.error,
        );
      }
      if (call.write(message)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const onEnd = () => reject(new RpcError("CANCELLED", `${method}: the call ended while writing`));
        call.once("close", onEnd);
        call.once("drain", () => {
          call.off("close", onEnd);
          resolve();
        });
      });
    },
    finish() {
      call.end();
      return new Promise<z.infer<S>>((resolve, reject) => {
        settle = { resolve: resolve as (r: unknown) => void, reject };
        deliver();
      }).finally(() => options.signal?.removeEventListener("abort", onAbort));
    },
    cancel() {
      options.signal?.removeEventListener("abort", onAbort);
      call.cancel();
    },
  };
}
