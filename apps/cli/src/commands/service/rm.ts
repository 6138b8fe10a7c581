/** `shoal service rm SERVICE...`. */
import { z } from "zod";
import { defineCommand } from "../../command.ts";

export const command = defineCommand({
  usage: "usage: shoal service rm SERVICE [SERVICE...]",
  summary: "remove services",
  options: {},
  schema: z.object({ args: z.array(z.string()).min(1, "name at least one service") }),
  run: async (o, ctx) => {
    const api = await ctx.api();
    for (const service of o.args) {
      await api.services.remove.mutate({ service });
      console.log(service);
    }
  },
});
