/**
 * The agent's side of the dispatcher, over mutual TLS with the node's certificate. Streams are
 * async iterables; `assignments` checks sequence continuity and throws ASSIGNMENTS_GAP-coded
 * RpcError (code ABORTED) on a gap, after which the agent opens a new stream (which starts with a
 * COMPLETE set). A manager relaying an agent's calls passes `metadata` naming the agent
 * (relayedCallerMetadata).
 */
import type * as grpc from "@grpc/grpc-js";
import type { z } from "zod";
import { serverStream, unaryCall } from "../client/call-helpers.ts";
import { type ClientStreamCall, clientStream } from "../client/client-stream.ts";
import { RpcError } from "../errors.ts";
import { type PublishLogsRequest, SubscribeLogsMessage } from "../logs/log-schemas.ts";
import { shoalServices } from "../proto/load-protos.ts";
import { managerChannelOptions, mutualTlsChannelCredentials } from "../tls/channel-credentials.ts";
import type { TlsMaterialSource } from "../tls/tls-material.ts";
import {
  AssignmentsMessage,
  EndpointsMessage,
  HeartbeatResponse,
  type NodeDescription,
  SessionMessage,
  type TaskStatusUpdate,
  UpdateTaskStatusResponse,
} from "./dispatcher-schemas.ts";

const PublishLogsResponse = UpdateTaskStatusResponse;

/** Per call: cancel with `signal`; `metadata` when a manager relays the call for a node. */
interface CallOptions {
  readonly signal?: AbortSignal;
  readonly metadata?: grpc.Metadata;
}

export class DispatcherClient {
  private readonly client: grpc.Client;

  constructor(address: string, tls: TlsMaterialSource, options: { clusterId?: string } = {}) {
    this.client = new (shoalServices().dispatcher)(
      address,
      mutualTlsChannelCredentials(tls, options),
      managerChannelOptions(),
    );
  }

  session(
    input: { description: NodeDescription | null; sessionId?: string },
    options: CallOptions = {},
  ): AsyncGenerator<SessionMessage> {
    const request = { description: input.description, session_id: input.sessionId ?? "" };
    return serverStream(this.client, "Session", request, SessionMessage, options);
  }

  heartbeat(
    sessionId: string,
    options: { deadlineMs?: number; metadata?: grpc.Metadata } = {},
  ): Promise<HeartbeatResponse> {
    return unaryCall(this.client, "Heartbeat", { session_id: sessionId }, HeartbeatResponse, options);
  }

  /** Assignment messages in order; throws RpcError ABORTED on a sequence gap (resync then). */
  async *assignments(sessionId: string, options: CallOptions = {}): AsyncGenerator<AssignmentsMessage> {
    let sequence: number | undefined;
    for await (const message of serverStream(
      this.client,
      "Assignments",
      { session_id: sessionId },
      AssignmentsMessage,
      options,
    )) {
      if (message.type === "INCREMENTAL" && message.applies_to !== sequence) {
        throw new RpcError(
          "ABORTED",
          `Assignments: sequence gap (holding ${sequence ?? "nothing"}, message applies to ${message.applies_to}); open a new stream to resync`,
        );
      }
      sequence = message.results_in;
      yield message;
    }
  }

  async updateTaskStatus(
    sessionId: string,
    updates: z.input<typeof TaskStatusUpdate>[],
    options: { deadlineMs?: number; metadata?: grpc.Metadata; sentAtMs?: number } = {},
  ): Promise<void> {
    await unaryCall(
      this.client,
      "UpdateTaskStatus",
      { session_id: sessionId, updates, sent_at_ms: options.sentAtMs ?? 0 },
      UpdateTaskStatusResponse,
      options,
    );
  }

  /** The log subscriptions this node should serve, for as long as the session lasts. */
  subscribeLogs(sessionId: string, options: CallOptions = {}): AsyncGenerator<SubscribeLogsMessage> {
    return serverStream(
      this.client,
      "SubscribeLogs",
      { session_id: sessionId },
      SubscribeLogsMessage,
      options,
    );
  }

  /** The routing mesh's endpoint table: a COMPLETE message, then INCREMENTAL ones. */
  endpoints(sessionId: string, options: CallOptions = {}): AsyncGenerator<EndpointsMessage> {
    return serverStream(this.client, "Endpoints", { session_id: sessionId }, EndpointsMessage, options);
  }

  /** One subscription's lines, in batches; the last message has `close`. */
  publishLogs(options: CallOptions = {}): ClientStreamCall<PublishLogsRequest, unknown> {
    return clientStream(this.client, "PublishLogs", PublishLogsResponse, options);
  }

  close(): void {
    this.client.close();
  }
}
