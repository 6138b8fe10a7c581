import { CreateSecretInput, inspectSecret, listSecrets, SecretRefInput } from "@shoal/manager";
import type { TRPCRouterRecord } from "@trpc/server";
import { operatorProcedure, viewerProcedure } from "../trpc.ts";
import { listed, listOf, readContext, SecretView } from "./output-schemas.ts";

export const secretRouter = {
  list: viewerProcedure.output(listOf(SecretView)).query(({ ctx }) => listed(ctx, (c) => listSecrets(c))),
  inspect: viewerProcedure
    .input(SecretRefInput)
    .output(SecretView)
    .query(({ ctx, input }) => inspectSecret(readContext(ctx), input)),
  create: operatorProcedure
    .input(CreateSecretInput)
    .output(SecretView)
    .mutation(({ ctx, input }) => ctx.api.control("secret.create", input, ctx.actor)),
  remove: operatorProcedure
    .input(SecretRefInput)
    .mutation(({ ctx, input }) => ctx.api.control("secret.remove", input, ctx.actor)),
} satisfies TRPCRouterRecord;
