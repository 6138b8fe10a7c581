/** `shoal service scale SERVICE=REPLICAS...`: scales each, then follows until converged (unless -d). */
import { z } from "zod";
import { UsageError } from "../../cli-error.ts";
import { defineCommand } from "../../command.ts";
import { followService } from "../../progress/follow.ts";

export const command = defineCommand({
  usage:
    "usage: shoal service scale SERVICE=REPLICAS [SERVICE=REPLICAS...]\n\n  -d, --detach   do not wait for convergence",
  summary: "scale services",
  options: { detach: { type: "boolean", short: "d" }, quiet: { type: "boolean", short: "q" } },
  schema: z.object({
    detach: z.boolean().optional(),
    quiet: z.boolean().optional(),
    args: z.array(z.string()).min(1, "give SERVICE=REPLICAS"),
  }),
  run: async (o, ctx) => {
    const api = await ctx.api();
    const wanted = o.args.map((arg) => {
      const m = /^(.+)=(\d+)$/.exec(arg);
      if (!m?.[1]) throw new UsageError(`${arg}: give SERVICE=REPLICAS, e.g. web=5`);
      return { service: m[1], replicas: Number(m[2]) };
    });
    for (const { service, replicas } of wanted) {
      const scaled = await api.services.scale.mutate({ service, replicas });
      console.log(`${service} scaled to ${replicas}`);
      await followService(ctx, scaled, o);
    }
  },
});
