import type { Node } from "@shoal/store";
import type { TaskLoad } from "./task-load.ts";

/** Named limits: a node where a service failed this often within the window is tried last. */
export const SERVICE_FAILURES_MAX = 5;
export const SERVICE_FAILURE_WINDOW_MS = 5 * 60 * 1_000;

/**
 * What the scheduler knows about one node: the node object, and what the tasks on it reserve.
 * Built from the store and kept up to date from its watch (nothing here is only in memory).
 */
export class NodeInfo {
  /** Invariant: node.description resources minus the reservations of `tasks`. */
  availableNanoCpus: number;
  availableMemoryBytes: number;
  /** Invariant: tasks whose load is active, in total and per service. */
  activeTasks = 0;
  readonly activeByService = new Map<string, number>();
  /** Invariant: reference counts of the host ports of `tasks`. */
  readonly hostPorts = new Map<string, number>();
  readonly tasks = new Map<string, TaskLoad>();
  /** Failure times per service, oldest first, at most SERVICE_FAILURES_MAX kept. */
  private readonly failures = new Map<string, number[]>();

  constructor(public node: Node) {
    this.availableNanoCpus = node.description?.resources.nanoCpus ?? 0;
    this.availableMemoryBytes = node.description?.resources.memoryBytes ?? 0;
  }

  get id(): string {
    return this.node.id;
  }

  /** Replaces the node object (status, labels, resources changed); keeps the tasks. */
  setNode(node: Node): void {
    const cpu =
      (node.description?.resources.nanoCpus ?? 0) - (this.node.description?.resources.nanoCpus ?? 0);
    const mem =
      (node.description?.resources.memoryBytes ?? 0) - (this.node.description?.resources.memoryBytes ?? 0);
    this.availableNanoCpus += cpu;
    this.availableMemoryBytes += mem;
    this.node = node;
  }

  addTask(taskId: string, load: TaskLoad): void {
    if (this.tasks.has(taskId)) this.removeTask(taskId);
    this.tasks.set(taskId, load);
    this.availableNanoCpus -= load.nanoCpus;
    this.availableMemoryBytes -= load.memoryBytes;
    if (load.active) {
      this.activeTasks++;
      this.activeByService.set(load.serviceId, (this.activeByService.get(load.serviceId) ?? 0) + 1);
    }
    for (const port of load.hostPorts) this.hostPorts.set(port, (this.hostPorts.get(port) ?? 0) + 1);
  }

  removeTask(taskId: string): void {
    const load = this.tasks.get(taskId);
    if (load === undefined) return;
    this.tasks.delete(taskId);
    this.availableNanoCpus += load.nanoCpus;
    this.availableMemoryBytes += load.memoryBytes;
    if (load.active) {
      this.activeTasks--;
      const n = (this.activeByService.get(load.serviceId) ?? 0) - 1;
      if (n > 0) this.activeByService.set(load.serviceId, n);
      else this.activeByService.delete(load.serviceId);
    }
    for (const port of load.hostPorts) {
      const n = (this.hostPorts.get(port) ?? 0) - 1;
      if (n > 0) this.hostPorts.set(port, n);
      else this.hostPorts.delete(port);
    }
  }

  serviceTasks(serviceId: string): number {
    return this.activeByService.get(serviceId) ?? 0;
  }

  recordFailure(serviceId: string, atMs: number): void {
    const times = this.failures.get(serviceId) ?? [];
    times.push(atMs);
    times.sort((a, b) => a - b);
    if (times.length > SERVICE_FAILURES_MAX) times.splice(0, times.length - SERVICE_FAILURES_MAX);
    this.failures.set(serviceId, times);
  }

  /** Whether the service failed SERVICE_FAILURES_MAX times here within the window before nowMs. */
  hasFailedRecently(serviceId: string, nowMs: number): boolean {
    const times = this.failures.get(serviceId);
    if (times === undefined || times.length < SERVICE_FAILURES_MAX) return false;
    const oldest = times[times.length - SERVICE_FAILURES_MAX] as number;
    return nowMs - oldest <= SERVICE_FAILURE_WINDOW_MS;
  }

  /** Tests: the derived counters match the tasks. */
  checkInvariants(): void {
    let cpu = this.node.description?.resources.nanoCpus ?? 0;
    let mem = this.node.description?.resources.memoryBytes ?? 0;
    let active = 0;
    for (const load of this.tasks.values()) {
      cpu -= load.nanoCpus;
      mem -= load.memoryBytes;
      if (load.active) active++;
    }
    if (cpu !== this.availableNanoCpus || mem !== this.availableMemoryBytes || active !== this.activeTasks) {
      throw new Error(`node ${this.id}: reservations or counts drifted from its tasks`);
    }
  }
}
