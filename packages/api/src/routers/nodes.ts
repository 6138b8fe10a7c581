import {
  InspectNodeInput,
  inspectNode,
  ListNodesInput,
  listNodes,
  RemoveNodeInput,
  UpdateNodeInput,
} from "@shoal/manager";
import { NodeRole } from "@shoal/store";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { adminProcedure, operatorProcedure, viewerProcedure } from "../trpc.ts";
import { listed, listOf, NodeView, readContext } from "./output-schemas.ts";

/** Availability and labels: operators. Role changes (promote/demote): admins, via setRole. */
export const UpdateNodeAvailabilityInput = UpdateNodeInput.omit({ role: true });
export const SetNodeRoleInput = z.object({ node: z.string().min(1), role: NodeRole });

export const nodeRouter = {
  list: viewerProcedure
    .input(ListNodesInput)
    .output(listOf(NodeView))
    .query(({ ctx, input }) => listed(ctx, (c) => listNodes(c, input))),
  inspect: viewerProcedure
    .input(InspectNodeInput)
    .output(NodeView)
    .query(({ ctx, input }) => inspectNode(readContext(ctx), input)),
  update: operatorProcedure
    .input(UpdateNodeAvailabilityInput)
    .output(NodeView)
    .mutation(({ ctx, input }) => ctx.api.control("node.update", input, ctx.actor)),
  setRole: adminProcedure
    .input(SetNodeRoleInput)
    .output(NodeView)
    .mutation(({ ctx, input }) => ctx.api.control("node.update", input, ctx.actor)),
  remove: adminProcedure
    .input(RemoveNodeInput)
    .mutation(({ ctx, input }) => ctx.api.control("node.remove", input, ctx.actor)),
} satisfies TRPCRouterRecord;
