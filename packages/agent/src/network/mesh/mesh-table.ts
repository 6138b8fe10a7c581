import { type Service, type Task, TaskState } from "@shoal/store";

/** One ingress-published port of a service: every node listens on `publishedPort`. */
export interface MeshPort {
  protocol: "tcp" | "udp";
  publishedPort: number;
  targetPort: number;
}

/** A running, healthy task the mesh may forward to: its address on the overlay (no prefix length). */
export interface MeshBackend {
  taskId: string;
  address: string;
  /**
   * Where each target port is reached at `address` (the task's node address and the host port its
   * target port is bound to). Absent: the target port itself (an overlay address).
   */
  ports?: readonly { protocol: "tcp" | "udp"; targetPort: number; hostPort: number }[];
}

/** The backend's port for one published port; undefined when the backend does not serve it. */
export function backendPort(backend: MeshBackend, port: MeshPort): number | undefined {
  if (!backend.ports) return port.targetPort;
  return backend.ports.find((p) => p.protocol === port.protocol && p.targetPort === port.targetPort)
    ?.hostPort;
}

export interface MeshService {
  serviceId: string;
  ports: readonly MeshPort[];
  backends: readonly MeshBackend[];
}

/**
 * What the routing mesh forwards, cluster-wide: service → ingress ports → healthy backends. The
 * session (or the node) builds it from the services' endpoints and the tasks' attachments and hands
 * every new version to `RoutingMesh.apply`.
 */
export interface MeshTable {
  services: readonly MeshService[];
}

/** Whether a task may receive traffic: RUNNING (the agent reports RUNNING only once healthy) and meant to stay. */
export function isTaskInRotation(task: Task): boolean {
  return task.status.state === TaskState.Running && task.desiredState === TaskState.Running;
}

/** `10.0.1.5/24` → `10.0.1.5`. */
export function addressOnly(cidr: string): string {
  const slash = cidr.indexOf("/");
  return slash < 0 ? cidr : cidr.slice(0, slash);
}

/**
 * Builds the mesh table from store objects. Backends are the tasks in rotation, at their address
 * on `ingressNetworkId` (else on their first network). Pure.
 */
export function buildMeshTable(
  services: readonly Service[],
  tasks: readonly Task[],
  ingressNetworkId: string | undefined,
): MeshTable {
  const byService = new Map<string, Task[]>();
  for (const task of tasks) {
    if (!isTaskInRotation(task)) continue;
    byService.set(task.serviceId, [...(byService.get(task.serviceId) ?? []), task]);
  }
  const out: MeshService[] = [];
  for (const service of services) {
    const ports: MeshPort[] = [];
    for (const p of service.endpoint?.ports ?? []) {
      if (p.publishMode !== "ingress" || p.publishedPort === 0) continue;
      if (p.protocol !== "tcp" && p.protocol !== "udp") continue;
      ports.push({ protocol: p.protocol, publishedPort: p.publishedPort, targetPort: p.targetPort });
    }
    if (ports.length === 0) continue;
    const backends: MeshBackend[] = [];
    for (const task of byService.get(service.id) ?? []) {
      const attachment =
        task.networksAttachments.find((a) => a.networkId === ingressNetworkId) ?? task.networksAttachments[0];
      const address = attachment?.addresses[0];
      if (address) backends.push({ taskId: task.id, address: addressOnly(address) });
    }
    out.push({ serviceId: service.id, ports, backends });
  }
  return { services: out };
}
