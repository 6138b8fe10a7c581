/**
 * What "converged" means for a replicated service, checked on a store view: every slot 1..N holds
 * exactly one task desired RUNNING, no other slot holds one, and (optionally) each of those is
 * RUNNING with the service's current spec. Returns the problems found (empty = converged).
 */
import { type ReadView, type Task, TaskState, taskStateName } from "@shoal/store";

export interface SlotCheckOptions {
  /** Also require every desired-running task to be RUNNING. */
  readonly running?: boolean;
  /** Also require every desired-running task to carry the service's current task template. */
  readonly currentSpec?: boolean;
}

export function slotProblems(view: ReadView, serviceId: string, options: SlotCheckOptions = {}): string[] {
  const service = view.services.get(serviceId);
  if (service === undefined) return [`no service ${serviceId}`];
  const replicas = "replicated" in service.spec.mode ? service.spec.mode.replicated.replicas : 0;
  const bySlot = new Map<number, Task[]>();
  for (const task of view.tasks.byService(serviceId)) {
    if (task.desiredState !== TaskState.Running) continue;
    const list = bySlot.get(task.slot);
    if (list) list.push(task);
    else bySlot.set(task.slot, [task]);
  }
  const problems: string[] = [];
  for (let slot = 1; slot <= replicas; slot++) {
    const tasks = bySlot.get(slot) ?? [];
    if (tasks.length !== 1) {
      problems.push(`slot ${slot}: ${tasks.length} tasks desired running`);
      continue;
    }
    const task = tasks[0] as Task;
    if (options.running && task.status.state !== TaskState.Running) {
      problems.push(`slot ${slot}: task ${task.id} is ${taskStateName(task.status.state)}`);
    }
    if (options.currentSpec && JSON.stringify(task.spec) !== JSON.stringify(service.spec.taskTemplate)) {
      problems.push(`slot ${slot}: task ${task.id} runs an old spec`);
    }
  }
  for (const slot of bySlot.keys()) {
    if (slot < 1 || slot > replicas) problems.push(`slot ${slot}: beyond the ${replicas} replicas`);
  }
  return problems;
}

/** True when the service has converged (see slotProblems). */
export function isConverged(view: ReadView, serviceId: string, options: SlotCheckOptions = {}): boolean {
  return slotProblems(view, serviceId, options).length === 0;
}
