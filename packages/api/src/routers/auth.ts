import { randomBytes } from "node:crypto";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { ApiError } from "../api-error.ts";
import { LoginInput, SetupInput, UserView } from "../auth/access-schemas.ts";
import { hashPassword, UNKNOWN_USER_HASH, verifyPassword } from "../auth/passwords.ts";
import { passwordTagOf, SESSION_LIFETIME_MS, sessionCookie, signSession } from "../auth/sessions.ts";
import { publicProcedure, viewerProcedure } from "../trpc.ts";

const SESSION_KEY_BYTES = 32;
const Session = z.object({ user: UserView, expiresAtMs: z.number() });

export const authRouter = {
  /** Whether the first user still has to be created. */
  status: publicProcedure
    .output(z.object({ setupRequired: z.boolean() }))
    .query(({ ctx }) => ({ setupRequired: ctx.services.authenticator.needsSetup() })),
  /** Creates the first admin (and the cluster's session key); refused once any user exists. */
  setup: publicProcedure
    .input(SetupInput)
    .output(UserView)
    .mutation(async ({ ctx, input }) => {
      if (!ctx.services.authenticator.needsSetup()) {
        throw new ApiError(
          "already-set-up",
          "this cluster is already set up: log in, or ask an admin for an account",
        );
      }
      const passwordHash = await hashPassword(input.password, ctx.services.bcryptCost);
      const sessionKeyBase64 = randomBytes(SESSION_KEY_BYTES).toString("base64");
      const setup = { name: input.name, passwordHash, sessionKeyBase64 };
      return ctx.api.control("auth.setup", setup, `user:${input.name}`).catch((error) => {
        throw error?.code === "failed-precondition" ? new ApiError("already-set-up", error.message) : error;
      });
    }),
  /** Checks the password (rate-limited per user and address) and sets the session cookie. */
  login: publicProcedure
    .input(LoginInput)
    .output(Session)
    .mutation(async ({ ctx, input }) => {
      const { authenticator, loginLimiter } = ctx.services;
      if (authenticator.needsSetup()) {
        throw new ApiError(
          "setup-required",
          "this cluster has no users yet: create the first admin with auth.setup",
        );
      }
      const waitMs = loginLimiter.retryAfterMs(input.name, ctx.ip, ctx.api.clock.nowMs());
      if (waitMs > 0) {
        throw new ApiError(
          "rate-limited",
          `too many failed logins for "${input.name}": try again in ${Math.ceil(waitMs / 1_000)} s`,
        );
      }
      const { user, key } = ctx.api.store.view((v) => ({
        user: v.users.byName(input.name),
        key: v.sessionKeys.all()[0],
      }));
      const ok = await verifyPassword(input.password, user?.passwordHash ?? UNKNOWN_USER_HASH);
      if (user === undefined || !ok || user.spec.disabled || key === undefined) {
        loginLimiter.recordFailure(input.name, ctx.ip, ctx.api.clock.nowMs());
        throw new ApiError("unauthenticated", "wrong user name or password (or the user is disabled)");
      }
      loginLimiter.recordSuccess(input.name, ctx.ip);
      const expiresAtMs = ctx.api.clock.nowMs() + SESSION_LIFETIME_MS;
      const value = signSession(key.spec.keyBase64, {
        userId: user.id,
        passwordTag: passwordTagOf(user.passwordHash),
        expiresAtMs,
      });
      ctx.setCookie(sessionCookie(value, SESSION_LIFETIME_MS, ctx.secure === true));
      const { passwordHash: _hash, ...view } = user;
      return { user: view, expiresAtMs };
    }),
  /** Clears the session cookie on this client. */
  logout: publicProcedure.mutation(({ ctx }) => {
    ctx.setCookie(sessionCookie("", 0, ctx.secure === true));
  }),
  /** Who the caller is. */
  me: viewerProcedure
    .output(z.object({ userId: z.string(), userName: z.string(), role: z.string(), via: z.string() }))
    .query(({ ctx }) => ctx.principal),
} satisfies TRPCRouterRecord;
