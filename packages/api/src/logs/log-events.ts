/**
 * Turns the broker's messages into the API's log events: each line gets its task's context
 * (`name.slot.taskid@node`, as `docker service logs` prints it) from this manager's replica, and
 * the printable `text`.
 */
import type { LogMessage } from "@shoal/manager";
import { nodeName, type ReadView } from "@shoal/store";
import type { LogEvent } from "./log-schemas.ts";

/** Task IDs in the context prefix are cut to this many characters (docker's truncation). */
export const LOG_TASK_ID_CHARS = 12;

interface TaskContext {
  readonly serviceId: string;
  readonly serviceName: string;
  readonly slot: number;
  readonly nodeName: string;
  readonly context: string;
}

type Reader = Pick<ReadView, "tasks" | "services" | "nodes">;

/** Remembers each task's context so a long follow does not read the store for every line. */
export class LogEventMapper {
  private readonly contexts = new Map<string, TaskContext>();

  constructor(
    private readonly view: <T>(read: (v: Reader) => T) => T,
    private readonly options: { readonly timestamps: boolean },
  ) {}

  map(batch: readonly LogMessage[]): LogEvent[] {
    return batch.map((m) => {
      if (m.kind === "warning") return { type: "warning", nodeId: m.nodeId, message: m.message };
      const c = this.contextOf(m.taskId, m.nodeId);
      return {
        type: "line",
        taskId: m.taskId,
        serviceId: c.serviceId,
        serviceName: c.serviceName,
        slot: c.slot,
        nodeId: m.nodeId,
        nodeName: c.nodeName,
        context: c.context,
        stream: m.stream,
        timestampMs: m.timestampMs,
        line: m.line,
        text: formatLogText(c.context, m.line, this.options.timestamps ? m.timestampMs : undefined),
      };
    });
  }

  private contextOf(taskId: string, nodeId: string): TaskContext {
    const known = this.contexts.get(taskId);
    if (known) return known;
    const context = this.view((v) => {
      const task = v.tasks.get(taskId);
      const service = task ? v.services.get(task.serviceId) : undefined;
      const node = v.nodes.get(nodeId);
      return taskContext(
        taskId,
        task?.serviceId ?? "",
        service?.spec.name ?? task?.serviceId ?? "unknown",
        task?.slot ?? 0,
        (node && nodeName(node)) ?? nodeId,
      );
    });
    this.contexts.set(taskId, context);
    return context;
  }
}

export function taskContext(
  taskId: string,
  serviceId: string,
  serviceName: string,
  slot: number,
  node: string,
): TaskContext {
  const id = taskId.slice(0, LOG_TASK_ID_CHARS);
  const name = slot > 0 ? `${serviceName}.${slot}.${id}` : `${serviceName}.${id}`;
  return { serviceId, serviceName, slot, nodeName: node, context: `${name}@${node}` };
}

/** `service logs` output: `[RFC 3339 time ]context | line`. */
export function formatLogText(context: string, line: string, timestampMs?: number): string {
  const time = timestampMs === undefined ? "" : `${new Date(timestampMs).toISOString()} `;
  return `${time}${context}    | ${line}`;
}
