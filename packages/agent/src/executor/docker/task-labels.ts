import type { Task } from "@shoal/store";
import type { ServiceInfo } from "../../session-interface.ts";
import type { NodeIdentity } from "../executor.ts";

/** Labels on every task container; the agent finds its containers by the first one. */
export const TASK_ID_LABEL = "com.shoal.task.id";
export const TASK_NAME_LABEL = "com.shoal.task.name";
export const TASK_SLOT_LABEL = "com.shoal.task.slot";
export const SERVICE_ID_LABEL = "com.shoal.service.id";
export const SERVICE_NAME_LABEL = "com.shoal.service.name";
export const NODE_ID_LABEL = "com.shoal.node.id";
export const STACK_NAMESPACE_LABEL = "com.shoal.stack.namespace";

/** Where stacks mark their services (the compose loader writes docker's label). */
const SERVICE_STACK_LABELS = ["com.shoal.stack.namespace", "com.docker.stack.namespace"];

/** swarm's task name: `<service>.<slot>.<task id>`, or `<service>.<node id>.<task id>` for global tasks. */
export function taskName(task: Pick<Task, "id" | "slot" | "nodeId">, serviceName: string): string {
  const middle = task.slot > 0 ? String(task.slot) : task.nodeId;
  return `${serviceName}.${middle}.${task.id}`;
}

export function stackNamespace(service: ServiceInfo): string | undefined {
  for (const key of SERVICE_STACK_LABELS) {
    const value = service.labels[key];
    if (value) return value;
  }
  return undefined;
}

/** The spec's own labels, then the task labels (which win: the agent relies on them). */
export function taskContainerLabels(
  task: Task,
  service: ServiceInfo,
  node: NodeIdentity,
): Record<string, string> {
  const labels: Record<string, string> = { ...task.spec.containerSpec.labels };
  labels[TASK_ID_LABEL] = task.id;
  labels[TASK_NAME_LABEL] = taskName(task, service.name);
  labels[TASK_SLOT_LABEL] = String(task.slot);
  labels[SERVICE_ID_LABEL] = service.id;
  labels[SERVICE_NAME_LABEL] = service.name;
  labels[NODE_ID_LABEL] = node.id;
  const namespace = stackNamespace(service);
  if (namespace) labels[STACK_NAMESPACE_LABEL] = namespace;
  return labels;
}
