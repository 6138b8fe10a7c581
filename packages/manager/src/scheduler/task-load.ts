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

/**
 * A task holds resources on its node from ASSIGNED until it has stopped for good. A task created
 * with its node already set (global, rebalance replacement) holds nothing while NEW or PENDING:
 * the scheduler has not yet checked that the node can take it.
 */
export function isTaskHeld(task: Task): boolean {
  return (
    task.nodeId !== "" && task.status.state >= TaskState.Assigned && task.status.state <= TaskState.Running
  );
}

/**
 * A task the scheduler should place: allocated (PENDING) and still wanted. Either unassigned
 * (`nodeId` empty: any node that passes the filters) or pinned (`nodeId` set at creation: that
 * node only, see isTaskPinned).
 */
export function isTaskSchedulable(task: Task): boolean {
  return task.status.state === TaskState.Pending && task.desiredState <= TaskState.Running;
}

/** A schedulable task created with its node set (global task, rebalance replacement). */
export function isTaskPinned(task: Task): boolean {
  return task.nodeId !== "" && isTaskSchedulable(task);
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
