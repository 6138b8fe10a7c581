import {
  CreateServiceInput,
  InspectServiceInput,
  inspectService,
  ListServicesInput,
  listServices,
  RemoveServiceInput,
  RollbackServiceInput,
  ScaleServiceInput,
  UpdateServiceInput,
} from "@shoal/manager";
import type { TRPCRouterRecord } from "@trpc/server";
import { operatorProcedure, viewerProcedure } from "../trpc.ts";
import { serviceLogsProcedure } from "./log-procedures.ts";
import { listed, listOf, readContext, ServiceView } from "./output-schemas.ts";

export const serviceRouter = {
  list: viewerProcedure
    .input(ListServicesInput)
    .output(listOf(ServiceView))
    .query(({ ctx, input }) => listed(ctx, (c) => listServices(c, input))),
  inspect: viewerProcedure
    .input(InspectServiceInput)
    .output(ServiceView)
    .query(({ ctx, input }) => inspectService(readContext(ctx), input)),
  logs: serviceLogsProcedure,
  create: operatorProcedure
    .input(CreateServiceInput)
    .output(ServiceView)
    .mutation(({ ctx, input }) => ctx.api.control("service.create", input, ctx.actor)),
  update: operatorProcedure
    .input(UpdateServiceInput)
    .output(ServiceView)
    .mutation(({ ctx, input }) => ctx.api.control("service.update", input, ctx.actor)),
  scale: operatorProcedure
    .input(ScaleServiceInput)
    .output(ServiceView)
    .mutation(({ ctx, input }) => ctx.api.control("service.scale", input, ctx.actor)),
  rollback: operatorProcedure
    .input(RollbackServiceInput)
    .output(ServiceView)
    .mutation(({ ctx, input }) => ctx.api.control("service.rollback", input, ctx.actor)),
  remove: operatorProcedure
    .input(RemoveServiceInput)
    .mutation(({ ctx, input }) => ctx.api.control("service.remove", input, ctx.actor)),
} satisfies TRPCRouterRecord;
