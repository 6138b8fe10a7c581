/**
 * Server side of the dispatcher: the manager's dispatcher supplies the handlers; every call has
 * already been authorized (workers and managers of this swarm, not removed), and context.peer is
 * the calling node. Logs calls answer UNIMPLEMENTED until a handler is given.
 */
import { shoalServices } from "../proto/load-protos.ts";
import { adaptServerStream, adaptUnary, notServed } from "../server/handler-adapters.ts";
import { asNodeContext, type NodeCallContext } from "../server/node-call-context.ts";
import type { RpcServer } from "../server/rpc-server.ts";
import {
  type AssignmentsMessage,
  AssignmentsRequest,
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
}

export function addDispatcherService(server: RpcServer, handlers: DispatcherHandlers): void {
  const { dispatcher } = shoalServices();
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
    PublishLogs: notServed("PublishLogs"),
    SubscribeLogs: notServed("SubscribeLogs"),
  });
}
