/** `shoal service rollback SERVICE`: back to the previous spec, followed until converged (unless -d). */
import { z } from "zod";
import { defineCommand } from "../../command.ts";
import { rollbackAndFollow } from "../../progress/follow.ts";

export const command = defineCommand({
  usage: "usage: shoal service rollback [-d] [-q] SERVICE\n\n  -d, --detach   do not wait for convergence",
  summary: "roll a service back",
  options: { detach: { type: "boolean", short: "d" }, quiet: { type: "boolean", short: "q" } },
  schema: z.object({
    detach: z.boolean().optional(),
    quiet: z.boolean().optional(),
    args: z.tuple([z.string()], { error: "name one service" }),
  }),
  run: async (o, ctx) => {
    await rollbackAndFollow(ctx, o.args[0], o);
  },
});
