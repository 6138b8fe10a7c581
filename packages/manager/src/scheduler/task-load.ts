import { type Task, TaskState } from "@shoal/store";

/** What one task takes from the node it is on. */
export interface TaskLoad {
  readonly serviceId: string;
  readonly nanoCpus: number;
  readonly memoryBytes: number;
  /** `tcp/8080` for each host-mode published port. */
  readonly hostPorts: readonly string[];
  /** Counted for spreading (desired state at most RUNNING); inactive tasks still hold resources. */
  readonly active: boolean;
}

/** A task holds resources on its node until it has stopped for good. */
export function isTaskHeld(task: Task): boolean {
  return task.nodeId !== "" && task.status.state <= TaskState.Running;
}

/** A task the scheduler should place: allocated, unassigned, still wanted. */
export function isTaskSchedulable(task: Task): boolean {
  return (
    task.nodeId === "" && task.status.state === TaskState.Pending && task.desiredState <= TaskState.Running
  );
}

export function taskLoad(task: Task): TaskLoad {
  return {
    serviceId: task.serviceId,
    nanoCpus: task.spec.resources.reservations.nanoCpus,
    memoryBytes: task.spec.resources.reservations.memoryBytes,
    hostPorts: hostPortsOf(task),
    active: task.desiredState <= TaskState.Running,
  };
}

/** Host-mode published ports of a task (from the endpoint the allocator gave it). */
export function hostPortsOf(task: Task): string[] {
  const out: string[] = [];
  for (const p of task.endpoint?.ports ?? []) {
    if (p.publishMode === "host" && p.publishedPort !== 0) out.push(`${p.protocol}/${p.publishedPort}`);
  }
  return out;
}
