/** `shoal network rm NETWORK...` (refused while a service uses it). */
import { z } from "zod";
import { defineCommand } from "../../command.ts";

export const command = defineCommand({
  usage: "usage: shoal network rm NETWORK [NETWORK...]",
  summary: "remove networks",
  options: {},
  schema: z.object({ args: z.array(z.string()).min(1, "name at least one network") }),
  run: async (o, ctx) => {
    const api = await ctx.api();
    for (const network of o.args) {
      await api.networks.remove.mutate({ network });
      console.log(network);
    }
  },
});
