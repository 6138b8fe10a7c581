import { InspectTaskInput, inspectTask, ListTasksInput, listTasks } from "@shoal/manager";
import type { TRPCRouterRecord } from "@trpc/server";
import { viewerProcedure } from "../trpc.ts";
import { taskLogsProcedure } from "./log-procedures.ts";
import { listed, listOf, readContext, TaskView } from "./output-schemas.ts";

export const taskRouter = {
  list: viewerProcedure
    .input(ListTasksInput)
    .output(listOf(TaskView))
    .query(({ ctx, input }) => listed(ctx, (c) => listTasks(c, input))),
  inspect: viewerProcedure
    .input(InspectTaskInput)
    .output(TaskView)
    .query(({ ctx, input }) => inspectTask(readContext(ctx), input)),
  logs: taskLogsProcedure,
} satisfies TRPCRouterRecord;
