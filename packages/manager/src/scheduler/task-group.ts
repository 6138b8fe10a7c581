import type { Task } from "@shoal/store";
import { type ParsedPlacement, parsePlacement } from "./placement.ts";
import { hostPortsOf } from "./task-load.ts";

/** Tasks of one service made from one spec: scheduled together, with one set of filters. */
export interface TaskGroup {
  readonly key: string;
  readonly serviceId: string;
  readonly nanoCpus: number;
  readonly memoryBytes: number;
  readonly hostPorts: readonly string[];
  /** Undefined when the placement does not parse (the control API should have refused it). */
  readonly placement: ParsedPlacement | undefined;
  readonly placementError: string | undefined;
  readonly tasks: Task[];
}

export function groupKey(task: Task): string {
  return `${task.serviceId}/${task.serviceVersion}`;
}

/** Groups tasks by service and spec version; groups and tasks come out in a deterministic order. */
export function groupTasks(tasks: Iterable<Task>): TaskGroup[] {
  const groups = new Map<string, Task[]>();
  for (const t of tasks) {
    const key = groupKey(t);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [t]);
    else list.push(t);
  }
  const out: TaskGroup[] = [];
  for (const key of [...groups.keys()].sort()) {
    const list = (groups.get(key) as Task[]).sort(byTaskOrder);
    out.push(makeGroup(key, list));
  }
  return out;
}

function byTaskOrder(a: Task, b: Task): number {
  return a.slot - b.slot || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function makeGroup(key: string, tasks: Task[]): TaskGroup {
  const first = tasks[0] as Task;
  let placement: ParsedPlacement | undefined;
  let placementError: string | undefined;
  try {
    placement = parsePlacement(first.spec.placement);
  } catch (e) {
    placementError = e instanceof Error ? e.message : String(e);
  }
  return {
    key,
    serviceId: first.serviceId,
    nanoCpus: first.spec.resources.reservations.nanoCpus,
    memoryBytes: first.spec.resources.reservations.memoryBytes,
    hostPorts: hostPortsOf(first),
    placement,
    placementError,
    tasks,
  };
}
