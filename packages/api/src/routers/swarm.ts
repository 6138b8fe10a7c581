import {
  inspectCluster,
  RootRotationStatus,
  RotateRootCaInput,
  readUnlockKey,
  UpdateClusterInput,
} from "@shoal/manager";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { JoinTokenInput, JoinTokenOutput, readJoinToken } from "../control/join-tokens.ts";
import { adminProcedure, viewerProcedure } from "../trpc.ts";
import { ClusterView, readContext } from "./output-schemas.ts";
import { swarmBootstrapProcedures } from "./swarm-bootstrap.ts";

const UnlockKeyOutput = z.object({ unlockKey: z.string() });

export const swarmRouter = {
  ...swarmBootstrapProcedures,
  inspect: viewerProcedure.output(ClusterView).query(({ ctx }) => inspectCluster(readContext(ctx))),
  update: adminProcedure
    .input(UpdateClusterInput)
    .output(ClusterView)
    .mutation(({ ctx, input }) => ctx.api.control("cluster.update", input, ctx.actor)),
  joinToken: adminProcedure
    .input(JoinTokenInput)
    .output(JoinTokenOutput)
    .query(({ ctx, input }) => ({
      role: input.role,
      token: ctx.api.store.view((v) => readJoinToken(v, input.role)),
    })),
  rotateJoinToken: adminProcedure
    .input(JoinTokenInput)
    .output(JoinTokenOutput)
    .mutation(({ ctx, input }) => ctx.api.control("cluster.rotateJoinToken", input, ctx.actor)),
  /** `swarm ca --rotate`: starts a root CA rotation; `inspect` shows its progress until it ends. */
  rotateRootCa: adminProcedure
    .input(RotateRootCaInput)
    .output(RootRotationStatus)
    .mutation(({ ctx, input }) => ctx.api.control("cluster.rotateRootCa", input, ctx.actor)),
  /** `swarm unlock-key`: the key that unlocks managers after a restart (autolock on). */
  unlockKey: adminProcedure.output(UnlockKeyOutput).query(({ ctx }) => ctx.api.store.view(readUnlockKey)),
  /** `swarm unlock-key --rotate`: a new key; the previous one still unlocks until managers re-encrypt. */
  rotateUnlockKey: adminProcedure
    .output(UnlockKeyOutput)
    .mutation(({ ctx }) => ctx.api.control("cluster.rotateUnlockKey", undefined, ctx.actor)),
} satisfies TRPCRouterRecord;
