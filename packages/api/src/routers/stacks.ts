import {
  DeployStackInput,
  InspectStackRevisionInput,
  inspectStackRevision,
  listStacks,
  PlanStackInput,
  planStack,
  RevertStackInput,
  StackConfigInput,
  StackRefInput,
  stackConfig,
  stackServices,
  stackTasks,
  ValidateStackInput,
  validateStack,
} from "@shoal/manager";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { StackRevisionRecord } from "../history/history-schemas.ts";
import { operatorProcedure, viewerProcedure } from "../trpc.ts";
import { stackLogsProcedure } from "./log-procedures.ts";
import { listed, listOf, readContext, ServiceView, TaskView } from "./output-schemas.ts";
import {
  RemovedStackView,
  StackConfigOutput,
  StackDeployPlanView,
  StackDeployResultView,
  StackRevisionDetailView,
  StackRevisionsInput,
  StackSummaryView,
  StackValidation,
} from "./stack-schemas.ts";

/**
 * `stack deploy|ls|ps|services|rm|config` and the dashboard's validate, plan, revisions and revert.
 * Reads run on this manager's replica. validate, config and plan change nothing but are
 * mutations (POST): their input carries whole stack files, too large for a GET URL.
 */
export const stackRouter = {
  list: viewerProcedure
    .output(listOf(StackSummaryView))
    .query(({ ctx }) => listed(ctx, (c) => listStacks(c))),
  services: viewerProcedure
    .input(StackRefInput)
    .output(listOf(ServiceView))
    .query(({ ctx, input }) => listed(ctx, (c) => stackServices(c, input))),
  tasks: viewerProcedure
    .input(StackRefInput)
    .output(listOf(TaskView))
    .query(({ ctx, input }) => listed(ctx, (c) => stackTasks(c, input))),
  revisions: viewerProcedure
    .input(StackRevisionsInput)
    .output(z.array(StackRevisionRecord))
    .query(({ ctx, input }) => ctx.api.history.stackRevisions({ stack: input.name, limit: input.limit })),
  revision: viewerProcedure
    .input(InspectStackRevisionInput)
    .output(StackRevisionDetailView)
    .query(({ ctx, input }) => inspectStackRevision(readContext(ctx), input)),
  config: viewerProcedure
    .input(StackConfigInput)
    .output(StackConfigOutput)
    .mutation(({ ctx, input }) => stackConfig(readContext(ctx), input)),
  validate: viewerProcedure
    .input(ValidateStackInput)
    .output(StackValidation)
    .mutation(({ ctx, input }) => validateStack(readContext(ctx), input)),
  plan: viewerProcedure
    .input(PlanStackInput)
    .output(StackDeployPlanView)
    .mutation(({ ctx, input }) => planStack(readContext(ctx), input)),
  deploy: operatorProcedure
    .input(DeployStackInput)
    .output(StackDeployResultView)
    .mutation(({ ctx, input }) => ctx.api.control("stack.deploy", input, ctx.actor)),
  remove: operatorProcedure
    .input(StackRefInput)
    .output(RemovedStackView)
    .mutation(({ ctx, input }) => ctx.api.control("stack.remove", input, ctx.actor)),
  revert: operatorProcedure
    .input(RevertStackInput)
    .output(StackDeployResultView)
    .mutation(({ ctx, input }) => ctx.api.control("stack.revert", input, ctx.actor)),
  logs: stackLogsProcedure,
} satisfies TRPCRouterRecord;
