/**
 * `services.logs`, `tasks.logs` and `stacks.logs` (viewer): tRPC subscriptions, served over SSE
 * by the node's HTTP handler (`httpSubscriptionLink` on the client). Each resolves its target on
 * this manager's replica, then streams from the leader's log broker through `ApiContext.logs`
 * (local on the leader, forwarded by a follower) as `LogBatch` messages. Without follow the
 * subscription completes when every node has sent its lines.
 */
import { ControlError, inspectService, inspectTask, type LogRequest, stackServices } from "@shoal/manager";
import { ApiError } from "../api-error.ts";
import { LogEventMapper } from "../logs/log-events.ts";
import {
  type LogBatch,
  type LogOptionsInput,
  ServiceLogsInput,
  StackLogsInput,
  TaskLogsInput,
} from "../logs/log-schemas.ts";
import { parseSinceMs } from "../logs/log-since.ts";
import { type RequestContext, viewerProcedure } from "../trpc.ts";
import { readContext } from "./output-schemas.ts";

type Target = Pick<LogRequest, "serviceIds" | "taskIds">;
type Options = ReturnType<typeof LogOptionsInput.parse>;

export const serviceLogsProcedure = viewerProcedure.input(ServiceLogsInput).subscription(async function* ({
  ctx,
  input,
  signal,
}) {
  let target: Target;
  try {
    const service = await inspectService(readContext(ctx), { service: input.service });
    target = { serviceIds: [service.id], taskIds: [] };
  } catch (err) {
    if (!(err instanceof ControlError && err.code === "not-found")) throw err;
    const task = await inspectTask(readContext(ctx), { task: input.service }).catch(() => {
      throw err;
    });
    target = { serviceIds: [], taskIds: [task.id] };
  }
  yield* streamLogs(ctx, target, input, signal);
});

export const taskLogsProcedure = viewerProcedure.input(TaskLogsInput).subscription(async function* ({
  ctx,
  input,
  signal,
}) {
  const task = await inspectTask(readContext(ctx), { task: input.task });
  yield* streamLogs(ctx, { serviceIds: [], taskIds: [task.id] }, input, signal);
});

export const stackLogsProcedure = viewerProcedure.input(StackLogsInput).subscription(async function* ({
  ctx,
  input,
  signal,
}) {
  const services = await stackServices(readContext(ctx), { name: input.stack });
  if (services.length === 0) {
    throw new ApiError(
      "not-found",
      `stack "${input.stack}" has no services: check the name with \`stack ls\``,
    );
  }
  yield* streamLogs(ctx, { serviceIds: services.map((s) => s.id), taskIds: [] }, input, signal);
});

async function* streamLogs(
  ctx: RequestContext,
  target: Target,
  options: Options,
  signal: AbortSignal | undefined,
): AsyncGenerator<LogBatch> {
  const logs = ctx.api.logs;
  if (!logs) throw new ApiError("unavailable", "this manager does not serve logs: use another manager");
  const request: LogRequest = {
    ...target,
    follow: options.follow,
    ...(options.tail === "all" ? {} : { tail: options.tail }),
    ...(options.since ? { sinceMs: parseSinceMs(options.since, ctx.api.clock.nowMs()) } : {}),
  };
  const mapper = new LogEventMapper((read) => ctx.api.store.view(read), { timestamps: options.timestamps });
  const stop = new AbortController();
  try {
    for await (const batch of logs(request, signal ? AbortSignal.any([signal, stop.signal]) : stop.signal)) {
      yield { events: mapper.map(batch) };
    }
  } finally {
    stop.abort();
  }
}
