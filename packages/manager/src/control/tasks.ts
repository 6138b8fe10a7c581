import type { Task } from "@shoal/store";
import { Count, TASK_STATE_NAMES, TaskState } from "@shoal/store";
import { z } from "zod";
import { type ControlContext, parseInput } from "./control-context.ts";
import { findNode, findService, findTask } from "./resolve.ts";

const STATE_BY_NAME = new Map(
  Object.entries(TASK_STATE_NAMES).map(([state, name]) => [name, Number(state) as TaskState]),
);
const TaskStateName = z
  .string()
  .refine(
    (s) => STATE_BY_NAME.has(s),
    `a task state is one of ${Object.values(TASK_STATE_NAMES).join(", ")}`,
  );

export const ListTasksInput = z
  .object({
    filters: z
      .object({
        /** Service name or id. */
        service: z.string().min(1).optional(),
        /** Node name or id. */
        node: z.string().min(1).optional(),
        /** Desired states by name (`running`, `shutdown`, ...). */
        desiredState: z.array(TaskStateName).optional(),
        slot: Count.optional(),
      })
      .prefault({}),
  })
  .prefault({});
export type ListTasksInput = z.input<typeof ListTasksInput>;
export const InspectTaskInput = z.object({ task: z.string().min(1, "name the task by id") });

/** Tasks, newest first within a slot; filtered by service, node, desired state and slot. */
export async function listTasks(ctx: ControlContext, input: ListTasksInput = {}): Promise<Task[]> {
  const { filters } = parseInput(ListTasksInput, input, "task list filters");
  const tasks = ctx.store.view((v) => {
    if (filters.service !== undefined) return v.tasks.byService(findService(v, filters.service).id);
    if (filters.node !== undefined) return v.tasks.byNode(findNode(v, filters.node).id);
    return v.tasks.all();
  });
  const nodeId =
    filters.node === undefined ? undefined : ctx.store.view((v) => findNode(v, filters.node as string).id);
  const desired = filters.desiredState?.map((s) => STATE_BY_NAME.get(s) as TaskState);
  return tasks
    .filter(
      (t) =>
        (nodeId === undefined || t.nodeId === nodeId) &&
        (desired === undefined || desired.includes(t.desiredState)) &&
        (filters.slot === undefined || t.slot === filters.slot),
    )
    .sort((a, b) => a.slot - b.slot || a.nodeId.localeCompare(b.nodeId) || b.createdAtMs - a.createdAtMs);
}

export async function inspectTask(
  ctx: ControlContext,
  input: z.input<typeof InspectTaskInput>,
): Promise<Task> {
  const { task } = parseInput(InspectTaskInput, input, "task inspect");
  return ctx.store.view((v) => findTask(v, task));
}

/** Desired state names accepted by the task filters. */
export const TASK_DESIRED_STATE_NAMES = [
  TaskState.Ready,
  TaskState.Running,
  TaskState.Shutdown,
  TaskState.Remove,
].map((s) => TASK_STATE_NAMES[s]);
