import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { findUser, userView } from "../auth/access-control.ts";
import {
  CreateUserInput,
  RemoveUserInput,
  UpdateUserInput,
  UserRef,
  UserView,
} from "../auth/access-schemas.ts";
import { hashPassword } from "../auth/passwords.ts";
import { adminProcedure } from "../trpc.ts";

export const userRouter = {
  list: adminProcedure
    .output(z.array(UserView))
    .query(({ ctx }) =>
      ctx.api.store
        .view((v) => v.users.all().map(userView))
        .sort((a, b) => a.spec.name.localeCompare(b.spec.name)),
    ),
  inspect: adminProcedure
    .input(z.object({ user: UserRef }))
    .output(UserView)
    .query(({ ctx, input }) => ctx.api.store.view((v) => userView(findUser(v, input.user)))),
  create: adminProcedure
    .input(CreateUserInput)
    .output(UserView)
    .mutation(async ({ ctx, input }) => {
      const passwordHash = await hashPassword(input.password, ctx.services.bcryptCost);
      return ctx.api.control("user.create", { name: input.name, role: input.role, passwordHash }, ctx.actor);
    }),
  update: adminProcedure
    .input(UpdateUserInput)
    .output(UserView)
    .mutation(async ({ ctx, input }) => {
      const { password, ...rest } = input;
      const passwordHash =
        password === undefined ? undefined : await hashPassword(password, ctx.services.bcryptCost);
      return ctx.api.control(
        "user.update",
        { ...rest, ...(passwordHash === undefined ? {} : { passwordHash }) },
        ctx.actor,
      );
    }),
  remove: adminProcedure
    .input(RemoveUserInput)
    .mutation(({ ctx, input }) => ctx.api.control("user.remove", input, ctx.actor)),
} satisfies TRPCRouterRecord;
