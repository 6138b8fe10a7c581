/** `shoal swarm inspect`: the cluster object (without CA key and unlock keys), as JSON. */
import { z } from "zod";
import { defineCommand } from "../../command.ts";
import { printJson } from "../../output/print.ts";

export const command = defineCommand({
  usage: "usage: shoal swarm inspect\n\nPrints the swarm's settings as JSON.",
  summary: "show the swarm",
  options: {},
  schema: z.object({ args: z.array(z.string()).max(0, "swarm inspect takes no arguments") }),
  run: async (_o, ctx) => {
    const cluster = await (await ctx.api()).swarm.inspect.query();
    printJson([cluster]);
  },
});
