/**
 * Log subscriptions across managers: a follower's API subscribes at the leader over the control
 * service's SubscribeLogs stream (managers only); these turn the broker's shapes into that wire
 * and back.
 */
import type { LogsBatch, LogsHandler, LogsRequest } from "@shoal/rpc";
import { RpcError, TAIL_ALL } from "@shoal/rpc";
import type { LogBroker } from "./log-broker.ts";
import type { LogMessage, LogRequest, LogStream } from "./log-types.ts";

export function logRequestToWire(request: LogRequest): LogsRequest {
  return {
    service_ids: [...request.serviceIds],
    task_ids: [...request.taskIds],
    follow: request.follow,
    since_ms: request.sinceMs ?? 0,
    tail: request.tail ?? TAIL_ALL,
  };
}

export function logRequestFromWire(wire: LogsRequest): LogRequest {
  return {
    serviceIds: wire.service_ids,
    taskIds: wire.task_ids,
    follow: wire.follow,
    ...(wire.tail === TAIL_ALL ? {} : { tail: wire.tail }),
    ...(wire.since_ms > 0 ? { sinceMs: wire.since_ms } : {}),
  };
}

export function logBatchToWire(batch: readonly LogMessage[]): LogsBatch {
  return {
    entries: batch.map((m) =>
      m.kind === "line"
        ? {
            task_id: m.taskId,
            node_id: m.nodeId,
            stream: m.stream,
            timestamp_ms: m.timestampMs,
            data: Buffer.from(m.line, "utf8"),
            warning: "",
          }
        : {
            task_id: "",
            node_id: m.nodeId,
            stream: "",
            timestamp_ms: 0,
            data: Buffer.alloc(0),
            warning: m.message,
          },
    ),
  };
}

export function logBatchFromWire(batch: LogsBatch): LogMessage[] {
  return batch.entries.map((e) =>
    e.stream === ""
      ? { kind: "warning", nodeId: e.node_id, message: e.warning }
      : {
          kind: "line",
          taskId: e.task_id,
          nodeId: e.node_id,
          stream: e.stream,
          timestampMs: e.timestamp_ms,
          line: e.data.toString("utf8"),
        },
  );
}

/** The leader's handler for followers' subscriptions: `broker()` is the running term's broker. */
export function logsForwardHandler(broker: () => LogBroker | undefined): LogsHandler {
  return async (request, context, send) => {
    const current = broker();
    if (!current)
      throw new RpcError("UNAVAILABLE", "this manager is not the leader: subscribe at the leader");
    for await (const batch of current.subscribe(logRequestFromWire(request), context.signal)) {
      await send(logBatchToWire(batch));
    }
  };
}

/** A follower's subscription: the leader's stream read through `subscribe` (a control client). */
export async function* logsFromWire(batches: AsyncIterable<LogsBatch>): LogStream {
  for await (const batch of batches) yield logBatchFromWire(batch);
}
