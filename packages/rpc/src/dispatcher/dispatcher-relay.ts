/**
 * A follower's dispatcher: every call an agent makes is relayed to the leader's dispatcher over
 * this manager's own mutual-TLS connection, naming the agent (its verified certificate identity
 * and address; relayed-caller.ts), so the agent stays connected to the manager it chose. When
 * leadership moves, the relayed streams end with UNAVAILABLE and the agent opens a new session
 * here, which is relayed to the new leader (the manager's DispatcherEndpoint retries a session
 * that fails to open during an election, so agents do not give up on a healthy manager).
 */
import type * as grpc from "@grpc/grpc-js";
import { relayedCallerMetadata } from "../auth/relayed-caller.ts";
import { RpcError } from "../errors.ts";
import type { NodeCallContext } from "../server/node-call-context.ts";
import type { TlsMaterialSource } from "../tls/tls-material.ts";
import { DispatcherClient } from "./dispatcher-client.ts";
import type { DispatcherHandlers } from "./dispatcher-service.ts";

export interface DispatcherRelayOptions {
  readonly tls: TlsMaterialSource;
  readonly clusterId?: string;
  /**
   * The leader's node-to-node address, waiting for one while an election runs; rejects (RpcError
   * UNAVAILABLE) when none is known in time or this manager leads but its dispatcher is not up.
   */
  readonly leaderAddr: (signal: AbortSignal) => Promise<string>;
  /** Deadline of relayed unary calls (default 5 s). */
  readonly callDeadlineMs?: number;
  /** Told when an agent's session opened at the leader through this relay. */
  readonly onSessionRelayed?: (nodeId: string, leaderAddr: string) => void;
}

interface Upstream {
  readonly addr: string;
  readonly client: DispatcherClient;
  /** Aborted when leadership moves away from `addr`. */
  readonly moved: AbortController;
}

const CALL_DEADLINE_MS = 5_000;

export class DispatcherRelay implements Required<DispatcherHandlers> {
  private upstream: Upstream | undefined;
  /** Calls relayed so far (tests, metrics). */
  relayedCalls = 0;

  constructor(private readonly options: DispatcherRelayOptions) {}

  /** Leadership moved: calls relayed to the old leader end, and the next ones go to the new one. */
  leaderMoved(): void {
    const upstream = this.upstream;
    this.upstream = undefined;
    if (!upstream) return;
    upstream.moved.abort(leadershipMoved(upstream.addr));
    upstream.client.close();
  }

  /** Ends every relayed call and closes the connection to the leader. */
  close(): void {
    this.leaderMoved();
  }

  session: DispatcherHandlers["session"] = (request, context, send) => {
    let opened = false;
    return this.relayStream(
      context,
      (client, call) =>
        client.session({ description: request.description, sessionId: request.session_id }, call),
      (message) => {
        if (!opened && this.upstream)
          this.options.onSessionRelayed?.(context.peer.nodeId, this.upstream.addr);
        opened = true;
        return send(message);
      },
    );
  };

  heartbeat: DispatcherHandlers["heartbeat"] = async (request, context) => {
    const { client } = await this.connect(context.signal);
    return client.heartbeat(request.session_id, this.unaryOptions(context));
  };

  assignments: DispatcherHandlers["assignments"] = (request, context, send) =>
    this.relayStream(context, (client, call) => client.assignments(request.session_id, call), send);

  updateTaskStatus: DispatcherHandlers["updateTaskStatus"] = async (request, context) => {
    const { client } = await this.connect(context.signal);
    await client.updateTaskStatus(request.session_id, request.updates, {
      ...this.unaryOptions(context),
      ...(request.sent_at_ms ? { sentAtMs: request.sent_at_ms } : {}),
    });
  };

  subscribeLogs: Required<DispatcherHandlers>["subscribeLogs"] = (request, context, send) =>
    this.relayStream(context, (client, call) => client.subscribeLogs(request.session_id, call), send);

  endpoints: Required<DispatcherHandlers>["endpoints"] = (request, context, send) =>
    this.relayStream(context, (client, call) => client.endpoints(request.session_id, call), send);

  publishLogs: Required<DispatcherHandlers>["publishLogs"] = async (messages, context) => {
    const upstream = await this.connect(context.signal);
    const signal = AbortSignal.any([context.signal, upstream.moved.signal]);
    const call = upstream.client.publishLogs({ signal, metadata: metadataFor(context) });
    try {
      for await (const message of messages) await call.send(message);
      await call.finish();
    } catch (err) {
      call.cancel();
      throw upstream.moved.signal.aborted ? upstream.moved.signal.reason : err;
    }
  };

  /** Relays one server stream until the leader ends it, the agent goes away or leadership moves. */
  private async relayStream<T>(
    context: NodeCallContext,
    open: (
      client: DispatcherClient,
      call: { signal: AbortSignal; metadata: grpc.Metadata },
    ) => AsyncIterable<T>,
    send: (message: T) => Promise<void>,
  ): Promise<void> {
    const upstream = await this.connect(context.signal);
    const signal = AbortSignal.any([context.signal, upstream.moved.signal]);
    try {
      for await (const message of open(upstream.client, { signal, metadata: metadataFor(context) })) {
        await send(message);
      }
    } catch (err) {
      if (upstream.moved.signal.aborted) throw upstream.moved.signal.reason;
      throw err;
    }
    if (upstream.moved.signal.aborted) throw upstream.moved.signal.reason;
  }

  private async connect(signal: AbortSignal): Promise<Upstream> {
    const addr = await this.options.leaderAddr(signal);
    if (this.upstream?.addr !== addr) {
      this.leaderMoved();
      const { tls, clusterId } = this.options;
      const client = new DispatcherClient(addr, tls, clusterId ? { clusterId } : {});
      this.upstream = { addr, client, moved: new AbortController() };
    }
    this.relayedCalls++;
    return this.upstream;
  }

  private unaryOptions(context: NodeCallContext) {
    return {
      deadlineMs: this.options.callDeadlineMs ?? CALL_DEADLINE_MS,
      metadata: metadataFor(context),
    };
  }
}

function metadataFor(context: NodeCallContext): grpc.Metadata {
  return relayedCallerMetadata({ peer: context.peer, remote: context.remote });
}

function leadershipMoved(addr: string): RpcError {
  return new RpcError(
    "UNAVAILABLE",
    `leadership moved away from ${addr}: open a new session (this manager relays it to the new leader)`,
  );
}
