/** Derived facts about services from the live lists: replicas running vs desired, stack names. */

import { isDesiredRunning, TASK_STATE } from "./task-states.ts";
import type { NodeItem, ServiceItem, TaskItem } from "./trpc-client.ts";

export const STACK_NAMESPACE_LABEL = "com.docker.stack.namespace";

export interface Replicas {
  running: number;
  desired: number;
}

/** Running tasks that should run, against the spec's replicas (global: eligible nodes). */
export function replicasOf(
  service: ServiceItem,
  tasks: readonly TaskItem[],
  nodes: readonly NodeItem[],
): Replicas {
  return replicasByService([service], tasks, nodes).get(service.id) as Replicas;
}

/** Every service's replicas in one pass over the tasks (a page of many services). */
export function replicasByService(
  services: readonly ServiceItem[],
  tasks: readonly TaskItem[],
  nodes: readonly NodeItem[],
): Map<string, Replicas> {
  const running = new Map<string, number>();
  for (const t of tasks) {
    if (isDesiredRunning(t.desiredState) && Number(t.status.state) === TASK_STATE.running)
      running.set(t.serviceId, (running.get(t.serviceId) ?? 0) + 1);
  }
  const eligible = nodes.filter((n) => n.status.state === "ready" && n.spec.availability === "active").length;
  return new Map(
    services.map((s) => {
      const desired = "replicated" in s.spec.mode ? s.spec.mode.replicated.replicas : eligible;
      return [s.id, { running: running.get(s.id) ?? 0, desired }];
    }),
  );
}

export function stackOf(service: ServiceItem): string | undefined {
  return service.spec.labels[STACK_NAMESPACE_LABEL];
}

export function modeLabel(service: ServiceItem): string {
  return "replicated" in service.spec.mode ? "replicated" : "global";
}

export function imageOf(service: ServiceItem): string {
  return service.spec.taskTemplate.containerSpec.image;
}

export function publishedPorts(service: ServiceItem): string {
  const ports = service.endpoint?.ports.length ? service.endpoint.ports : service.spec.endpointSpec.ports;
  return ports.map((p) => `${p.publishedPort || "auto"}→${p.targetPort}/${p.protocol}`).join(", ");
}
