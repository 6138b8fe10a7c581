import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { ApiError } from "../api-error.ts";
import type { NodeBootstrap } from "../node-bootstrap.ts";
import { NodeStatus, SwarmInitRequest, SwarmJoinRequest } from "../node-bootstrap.ts";
import { createCallerFactory, createTRPCRouter, publicProcedure, type RequestContext } from "../trpc.ts";
import { authRouter } from "./auth.ts";

const authCaller = createCallerFactory(createTRPCRouter({ auth: authRouter }));

/**
 * The procedures a node answers before any swarm exists: what the node is, create a swarm (with
 * its first admin, so the dashboard's first run is one step), or join one. `init` and `join` are
 * open only while this node is in no swarm — and so before any user exists here; once the node
 * is in a swarm they are refused and everything else needs credentials.
 */
export const swarmBootstrapProcedures = {
  status: publicProcedure.output(NodeStatus).query(({ ctx }) => nodeOf(ctx).status()),
  init: publicProcedure
    .input(SwarmInitRequest)
    .output(z.object({ nodeId: z.string(), clusterId: z.string(), adminCreated: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const node = requireNoSwarm(ctx);
      const result = await node.init(input.advertiseAddr ? { advertiseAddr: input.advertiseAddr } : {});
      if (input.admin === undefined) return { ...result, adminCreated: false };
      const caller = authCaller(ctx);
      await caller.auth.setup(input.admin);
      await caller.auth.login(input.admin);
      return { ...result, adminCreated: true };
    }),
  join: publicProcedure
    .input(SwarmJoinRequest)
    .output(z.object({ nodeId: z.string(), role: z.enum(["manager", "worker"]) }))
    .mutation(({ ctx, input }) => requireNoSwarm(ctx).join(input)),
} satisfies TRPCRouterRecord;

function nodeOf(ctx: RequestContext): NodeBootstrap {
  if (ctx.api.node === undefined) {
    throw new ApiError("unavailable", "this API is not served by a node: swarm set-up is not available here");
  }
  return ctx.api.node;
}

function requireNoSwarm(ctx: RequestContext): NodeBootstrap {
  const node = nodeOf(ctx);
  if (node.status().swarm === "active") {
    throw new ApiError(
      "failed-precondition",
      "this node is already part of a swarm: log in to manage it, or leave the swarm first (shoal swarm leave)",
    );
  }
  return node;
}
