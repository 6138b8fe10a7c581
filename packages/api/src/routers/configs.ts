import { ConfigRefInput, CreateConfigInput, inspectConfig, listConfigs } from "@shoal/manager";
import type { TRPCRouterRecord } from "@trpc/server";
import { operatorProcedure, viewerProcedure } from "../trpc.ts";
import { ConfigView, listed, listOf, readContext } from "./output-schemas.ts";

export const configRouter = {
  list: viewerProcedure.output(listOf(ConfigView)).query(({ ctx }) => listed(ctx, (c) => listConfigs(c))),
  inspect: viewerProcedure
    .input(ConfigRefInput)
    .output(ConfigView)
    .query(({ ctx, input }) => inspectConfig(readContext(ctx), input)),
  create: operatorProcedure
    .input(CreateConfigInput)
    .output(ConfigView)
    .mutation(({ ctx, input }) => ctx.api.control("config.create", input, ctx.actor)),
  remove: operatorProcedure
    .input(ConfigRefInput)
    .mutation(({ ctx, input }) => ctx.api.control("config.remove", input, ctx.actor)),
} satisfies TRPCRouterRecord;
