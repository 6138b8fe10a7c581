/**
 * Placeholder wire for forwarding control-API calls from a follower to the leader: a procedure
 * name and a JSON payload in, JSON or a typed error out. The API layer decides which procedures
 * go through it and owns their schemas; managers only.
 */
import type * as grpc from "@grpc/grpc-js";
import { z } from "zod";
import { serverStream, unaryCall } from "../client/call-helpers.ts";
import { LogsBatch, type LogsRequest, LogsRequest as LogsRequestSchema } from "../logs/log-schemas.ts";
import { shoalServices } from "../proto/load-protos.ts";
import {
  adaptServerStream,
  adaptUnary,
  type CallContext,
  notServed,
  type ServerStreamHandler,
} from "../server/handler-adapters.ts";
import type { RpcServer } from "../server/rpc-server.ts";
import { managerChannelOptions, mutualTlsChannelCredentials } from "../tls/channel-credentials.ts";
import type { TlsMaterialSource } from "../tls/tls-material.ts";

/** Largest forwarded payload or result (JSON text). */
export const CONTROL_JSON_CHARS_MAX = 4 * 1024 * 1024;

export const ForwardRequest = z.object({
  procedure: z.string().min(1).max(200),
  payload_json: z.string().max(CONTROL_JSON_CHARS_MAX),
  actor_json: z.string().max(64 * 1024),
});
export type ForwardRequest = z.infer<typeof ForwardRequest>;

const ControlError = z.object({ code: z.string().min(1).max(100), message: z.string().max(64 * 1024) });
export const ForwardResponse = z.union([
  z.object({ result: z.literal("result_json"), result_json: z.string().max(CONTROL_JSON_CHARS_MAX) }),
  z.object({ result: z.literal("error"), error: ControlError }),
]);
/** Either `{ ok: true, json }` or the leader's typed error. */
export type ForwardResult = { ok: true; json: string } | { ok: false; code: string; message: string };

export type ForwardHandler = (request: ForwardRequest, context: CallContext) => Promise<ForwardResult>;

/** The leader's log broker behind a follower's `logs` call (managers only). */
export type LogsHandler = ServerStreamHandler<LogsRequest, LogsBatch>;

export function addControlService(server: RpcServer, forward: ForwardHandler, logs?: LogsHandler): void {
  server.addService(shoalServices().control.service, {
    SubscribeLogs: logs
      ? adaptServerStream("SubscribeLogs", LogsRequestSchema, logs)
      : notServed("SubscribeLogs"),
    Forward: adaptUnary("Forward", ForwardRequest, async (request, context) => {
      const result = await forward(request, context);
      return result.ok
        ? { result_json: result.json }
        : { error: { code: result.code, message: result.message } };
    }),
  });
}

export class ControlForwardingClient {
  private readonly client: grpc.Client;

  constructor(leaderAddress: string, tls: TlsMaterialSource, options: { clusterId?: string } = {}) {
    this.client = new (shoalServices().control)(
      leaderAddress,
      mutualTlsChannelCredentials(tls, options),
      managerChannelOptions(),
    );
  }

  async forward(request: ForwardRequest, options: { deadlineMs?: number } = {}): Promise<ForwardResult> {
    const response = await unaryCall(this.client, "Forward", request, ForwardResponse, options);
    return response.result === "error"
      ? { ok: false, code: response.error.code, message: response.error.message }
      : { ok: true, json: response.result_json };
  }

  /** The leader's log stream for a subscription, until it completes or `signal` aborts. */
  subscribeLogs(request: LogsRequest, options: { signal?: AbortSignal } = {}): AsyncGenerator<LogsBatch> {
    return serverStream(this.client, "SubscribeLogs", request, LogsBatch, options);
  }

  close(): void {
    this.client.close();
  }
}
