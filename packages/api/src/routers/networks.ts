import {
  CreateNetworkInput,
  inspectNetwork,
  listNetworks,
  NetworkDetail,
  NetworkRefInput,
} from "@shoal/manager";
import type { TRPCRouterRecord } from "@trpc/server";
import { operatorProcedure, viewerProcedure } from "../trpc.ts";
import { listed, listOf, NetworkView, readContext } from "./output-schemas.ts";

export const networkRouter = {
  list: viewerProcedure.output(listOf(NetworkView)).query(({ ctx }) => listed(ctx, (c) => listNetworks(c))),
  /** The network with its task containers, services (VIPs) and nodes. */
  inspect: viewerProcedure
    .input(NetworkRefInput)
    .output(NetworkDetail)
    .query(({ ctx, input }) => inspectNetwork(readContext(ctx), input)),
  create: operatorProcedure
    .input(CreateNetworkInput)
    .output(NetworkView)
    .mutation(({ ctx, input }) => ctx.api.control("network.create", input, ctx.actor)),
  remove: operatorProcedure
    .input(NetworkRefInput)
    .mutation(({ ctx, input }) => ctx.api.control("network.remove", input, ctx.actor)),
} satisfies TRPCRouterRecord;
