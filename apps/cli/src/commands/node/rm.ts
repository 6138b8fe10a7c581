/** `shoal node rm [--force] NODE...` (a manager must be demoted first; a ready node needs --force). */
import { z } from "zod";
import { defineCommand } from "../../command.ts";

export const command = defineCommand({
  usage: "usage: shoal node rm [--force] NODE [NODE...]\n\n  -f, --force   remove a node that is still ready",
  summary: "remove nodes",
  options: { force: { type: "boolean", short: "f" } },
  schema: z.object({
    force: z.boolean().default(false),
    args: z.array(z.string()).min(1, "name at least one node"),
  }),
  run: async (o, ctx) => {
    const api = await ctx.api();
    for (const node of o.args) {
      await api.nodes.remove.mutate({ node, force: o.force });
      console.log(node);
    }
  },
});
