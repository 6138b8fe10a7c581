import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { ApiError } from "../api-error.ts";
import type { NodeBootstrap } from "../node-bootstrap.ts";
import {
  NodeStatus,
  SwarmInitRequest,
  SwarmJoinRequest,
  SwarmLeaveRequest,
  SwarmUnlockRequest,
} from "../node-bootstrap.ts";
import { createCallerFactory, createTRPCRouter, publicProcedure, type RequestContext } from "../trpc.ts";
import { authRouter } from "./auth.ts";
import { authorizeNodeChange } from "./node-change-access.ts";

const authCaller = createCallerFactory(createTRPCRouter({ auth: authRouter }));

/**
 * The procedures about the node itself: what the node is, create a swarm (with its first admin,
 * so the dashboard's first run is one step), join one, or leave it. `init` and `join` are open
 * only while this node is in no swarm — and so before any user exists here; once the node is in
 * a swarm they are refused and everything else needs credentials. `leave` and
 * `init --forceNewCluster` act on this node alone and never need the leader, so they work after
 * quorum is lost; on a manager with users they need an admin (node-change-access.ts).
 */
export const swarmBootstrapProcedures = {
  status: publicProcedure.output(NodeStatus).query(({ ctx }) => nodeOf(ctx).status()),
  init: publicProcedure
    .input(SwarmInitRequest)
    .output(
      z.object({
        nodeId: z.string(),
        clusterId: z.string(),
        adminCreated: z.boolean(),
        /** With `autolock`: the key managers need after a restart (shown this once). */
        unlockKey: z.string().optional(),
      }),
    )
    .mutation(async ({ ctx, input, path }) => {
      if (input.forceNewCluster === true) return forceNewCluster(ctx, input, path);
      const node = requireNoSwarm(ctx);
      const result = await node.init({
        ...(input.advertiseAddr ? { advertiseAddr: input.advertiseAddr } : {}),
        ...(input.autolock ? { autolock: true } : {}),
      });
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
  /** `swarm leave [--force]`: this node leaves; a manager needs `force` (see NodeBootstrap.leave). */
  leave: publicProcedure
    .input(SwarmLeaveRequest)
    .output(z.object({ left: z.literal(true) }))
    .mutation(async ({ ctx, input, path }) => {
      const node = nodeOf(ctx);
      const status = node.status();
      if (status.swarm === "inactive") {
        throw new ApiError(
          "failed-precondition",
          "this node is not part of a swarm: there is nothing to leave",
        );
      }
      authorizeNodeChange(ctx, path, status.isManager);
      await node.leave({ force: input.force ?? false });
      return { left: true as const };
    }),
  /**
   * `swarm unlock`: open to anyone who has the key (a locked manager cannot check users: they are
   * in the encrypted Raft data). A wrong key is refused with "invalid key".
   */
  unlock: publicProcedure
    .input(SwarmUnlockRequest)
    .output(z.object({ unlocked: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await nodeOf(ctx).unlock(input);
      return { unlocked: true as const };
    }),
} satisfies TRPCRouterRecord;

async function forceNewCluster(ctx: RequestContext, input: SwarmInitRequest, path: string) {
  if (input.admin !== undefined) {
    throw new ApiError(
      "invalid-argument",
      "--force-new-cluster keeps the swarm's users: log in as one of its admins instead of creating one",
    );
  }
  if (input.advertiseAddr !== undefined) {
    throw new ApiError(
      "invalid-argument",
      "--force-new-cluster keeps this manager's advertised address: leave out --advertise-addr",
    );
  }
  const node = nodeOf(ctx);
  const status = node.status();
  if (status.swarm === "inactive" || status.role !== "manager") {
    throw new ApiError(
      "failed-precondition",
      "--force-new-cluster recovers a manager from its own state: run it on a manager of the swarm",
    );
  }
  authorizeNodeChange(ctx, path, status.isManager);
  const result = await node.init({ forceNewCluster: true });
  return { ...result, adminCreated: false };
}

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
