/** `service ls` rows: ID NAME MODE REPLICAS IMAGE PORTS (docker's columns). */
import { TaskState } from "@shoal/store";
import type { ServiceView, TaskView } from "../api-types.ts";
import { formatPort } from "../flags/publish.ts";
import { shortId } from "./table.ts";

export const SERVICE_HEADER = ["ID", "NAME", "MODE", "REPLICAS", "IMAGE", "PORTS"];

export interface ServiceCounts {
  readonly running: number;
  readonly desired: number;
}

/** Running tasks (desired running) against the desired count; global: one per node with a task. */
export function serviceCounts(service: ServiceView, tasks: readonly TaskView[]): ServiceCounts {
  const live = tasks.filter((t) => t.serviceId === service.id && t.desiredState <= TaskState.Running);
  const running = live.filter((t) => t.status.state === TaskState.Running).length;
  const mode = service.spec.mode;
  const desired = "replicated" in mode ? mode.replicated.replicas : live.length;
  return { running, desired };
}

export function serviceMode(service: ServiceView): string {
  return "replicated" in service.spec.mode ? "replicated" : "global";
}

export function servicePorts(service: ServiceView): string {
  const ports = service.endpoint?.ports ?? service.spec.endpointSpec.ports;
  return ports.map(formatPort).join(", ");
}

export function serviceRow(service: ServiceView, counts: ServiceCounts, noTrunc = false): string[] {
  const max = service.spec.taskTemplate.placement.maxReplicas;
  return [
    shortId(service.id, noTrunc),
    service.spec.name,
    serviceMode(service),
    `${counts.running}/${counts.desired}${max > 0 ? ` (max ${max} per node)` : ""}`,
    service.spec.taskTemplate.containerSpec.image,
    servicePorts(service),
  ];
}
