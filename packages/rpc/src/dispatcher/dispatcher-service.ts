/**
 * Server side of the dispatcher: the manager's dispatcher supplies the handlers; every call has
 * already been authorized (workers and managers of this swarm, not removed), and context.peer is
 * the calling node. The logs calls answer UNIMPLEMENTED when no `logs` handlers are given.
 */
import { PublishLogsRequest, type SubscribeLogsMessage, SubscribeLogsRequest } from "../logs/log-schemas.ts";
import { shoalServices } from "../proto/load-protos.ts";
import { adaptClientStream } from "../server/client-stream-adapter.ts";
import { adaptServerStream, adaptUnary, notServed } from "../server/handler-adapters.ts";
import { asNodeContext, type NodeCallContext } from "../server/node-call-context.ts";
import type { RpcServer } from "../server/rpc-server.ts";
import {
  type AssignmentsMessage,
  AssignmentsRequest,
  type EndpointsMessage,
  EndpointsRequest,
  HeartbeatRequest,
  type HeartbeatResponse,
  type SessionMessage,
  SessionRequest,
  UpdateTaskStatusRequest,
} from "./dispatcher-schemas.ts";

export interface DispatcherHandlers {
  /** Send the session ID first, then node/manager updates; return to end the session. */
  session(
    request: SessionRequest,
    context: NodeCallContext,
    send: (m: SessionMessage) => Promise<void>,
  ): Promise<void>;
  heartbeat(request: HeartbeatRequest, context: NodeCallContext): Promise<HeartbeatResponse>;
  /** Send a COMPLETE set first, then INCREMENTAL changes with consecutive sequence numbers. */
  assignments(
    request: AssignmentsRequest,
    context: NodeCallContext,
    send: (m: AssignmentsMessage) => Promise<void>,
  ): Promise<void>;
  updateTaskStatus(request: UpdateTaskStatusRequest, context: NodeCallContext): Promise<void>;
  /** Log streaming (optional): the node's subscriptions to serve, and what it publishes. */
  subscribeLogs?(
    request: SubscribeLogsRequest,
    context: NodeCallContext,
    send: (m: SubscribeLogsMessage) => Promise<void>,
  ): Promise<void>;
  publishLogs?(messages: AsyncIterable<PublishLogsRequest>, context: NodeCallContext): Promise<void>;
  /** The routing mesh's endpoint table (optional): COMPLETE first, then INCREMENTAL changes. */
  endpoints?(
    request: EndpointsRequest,
    context: NodeCallContext,
    send: (m: EndpointsMessage) => Promise<void>,
  ): Promise<void>;
}

export function addDispatcherService(server: RpcServer, handlers: DispatcherHandlers): void {
  const { dispatcher } = shoalServices();
  const publishLogs = handlers.publishLogs?.bind(handlers);
  const subscribeLogs = handlers.subscribeLogs?.bind(handlers);
  const endpoints = handlers.endpoints?.bind(handlers);
  server.addService(dispatcher.service, {
    Session: adaptServerStream("Session", SessionRequest, (request, context, send) =>
      handlers.session(request, asNodeContext(context, "Session"), send),
    ),
    Heartbeat: adaptUnary("Heartbeat", HeartbeatRequest, (request, context) =>
      handlers.heartbeat(request, asNodeContext(context, "Heartbeat")),
    ),
    Assignments: adaptServerStream("Assignments", AssignmentsRequest, (request, context, send) =>
      handlers.assignments(request, asNodeContext(context, "Assignments"), send),
    ),
    UpdateTaskStatus: adaptUnary("UpdateTaskStatus", UpdateTaskStatusRequest, async (request, context) => {
      await handlers.updateTaskStatus(request, asNodeContext(context, "UpdateTaskStatus"));
      return {};
    }),
    PublishLogs: publishLogs
      ? adaptClientStream("PublishLogs", PublishLogsRequest, async (messages, context) => {
          await publishLogs(messages, asNodeContext(context, "PublishLogs"));
          return {};
        })
      : notServed("PublishLogs"),
    SubscribeLogs: subscribeLogs
      ? adaptServerStream("SubscribeLogs", SubscribeLogsRequest, (request, context, send) =>
          subscribeLogs(request, asNodeContext(context, "SubscribeLogs"), send),
        )
      : notServed("SubscribeLogs"),
    Endpoints: endpoints
      ? adaptServerStream("Endpoints", EndpointsRequest, (request, context, send) =>
          endpoints(request, asNodeContext(context, "Endpoints"), send),
        )
      : notServed("Endpoints"),
  });
}
