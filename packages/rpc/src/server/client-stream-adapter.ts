/**
 * Client streams on the server side: the handler reads the caller's messages as an async
 * iterable (each validated with its zod schema; a bad one fails the call with INVALID_ARGUMENT)
 * and returns the single response. Reading is paced by the handler, so gRPC's flow control
 * pushes back on a fast sender.
 */
import type * as grpc from "@grpc/grpc-js";
import type { z } from "zod";
import { toServiceError } from "../errors.ts";
import { type CallContext, callContext, parseRequest } from "./handler-adapters.ts";

export type ClientStreamHandler<Req, Res> = (
  messages: AsyncIterable<Req>,
  context: CallContext,
) => Promise<Res>;

export function adaptClientStream<S extends z.ZodType, Res>(
  method: string,
  schema: S,
  handler: ClientStreamHandler<z.infer<S>, Res>,
): grpc.handleClientStreamingCall<unknown, Res> {
  return (call, callback) => {
    const context = callContext(call);
    async function* messages(): AsyncGenerator<z.infer<S>> {
      for await (const message of call) yield parseRequest(method, schema, message);
    }
    Promise.resolve()
      .then(() => handler(messages(), context))
      .then(
        (response) => callback(null, response),
        (err: unknown) => {
          if (!context.signal.aborted) callback(toServiceError(err));
        },
      );
  };
}
