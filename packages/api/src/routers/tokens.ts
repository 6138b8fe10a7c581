import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { ApiError } from "../api-error.ts";
import {
  ApiTokenView,
  CreatedToken,
  CreateTokenInput,
  RevokeTokenInput,
  UserRef,
} from "../auth/access-schemas.ts";
import { API_TOKEN_SHOWN_CHARS, generateApiToken, hashApiToken } from "../auth/api-tokens.ts";
import { hasRole } from "../auth/roles.ts";
import { tokenOwner } from "../auth/token-owner.ts";
import { viewerProcedure } from "../trpc.ts";

/** Everyone manages their own tokens; admins also other users' (`user`). */
export const tokenRouter = {
  list: viewerProcedure
    .input(z.object({ user: UserRef.optional() }).prefault({}))
    .output(z.array(ApiTokenView))
    .query(({ ctx, input }) =>
      ctx.api.store.view((v) =>
        v.apiTokens.byUser(tokenOwner(v, ctx.principal, input.user)).map(({ tokenHash: _h, ...t }) => t),
      ),
    ),
  /** Returns the secret once; only its hash is stored. */
  create: viewerProcedure
    .input(CreateTokenInput)
    .output(CreatedToken)
    .mutation(async ({ ctx, input }) => {
      const userId = ctx.api.store.view((v) => tokenOwner(v, ctx.principal, input.user));
      const role = input.role ?? ctx.principal.role;
      if (!hasRole(ctx.principal.role, role)) {
        throw new ApiError("forbidden", `a token cannot have more than your role (${ctx.principal.role})`);
      }
      const secret = generateApiToken();
      const expiresAtMs = input.ttlMs === undefined ? undefined : ctx.api.clock.nowMs() + input.ttlMs;
      const token = await ctx.api.control(
        "token.create",
        {
          name: input.name,
          userId,
          role,
          tokenHash: hashApiToken(secret),
          prefix: secret.slice(0, API_TOKEN_SHOWN_CHARS),
          ...(expiresAtMs === undefined ? {} : { expiresAtMs }),
        },
        ctx.actor,
      );
      return { token, secret };
    }),
  /** Deletes the token; every manager refuses it from then on. */
  revoke: viewerProcedure.input(RevokeTokenInput).mutation(({ ctx, input }) => {
    const tokenId = ctx.api.store.view((v) => {
      const owner = tokenOwner(v, ctx.principal, input.user);
      const token = v.apiTokens.get(input.token) ?? v.apiTokens.byName(owner, input.token);
      if (token === undefined || token.spec.userId !== owner) {
        throw new ApiError(
          "not-found",
          `no API token "${input.token}" of this user: list tokens to see what exists`,
        );
      }
      return token.id;
    });
    return ctx.api.control("token.revoke", { tokenId }, ctx.actor);
  }),
} satisfies TRPCRouterRecord;
