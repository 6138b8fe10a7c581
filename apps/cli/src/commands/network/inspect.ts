/** `shoal network inspect NETWORK...` (JSON). */
import { z } from "zod";
import type { NetworkView } from "../../api-types.ts";
import { defineCommand, formatOption } from "../../command.ts";
import { printJson } from "../../output/print.ts";

export const command = defineCommand({
  usage: "usage: shoal network inspect NETWORK [NETWORK...]",
  summary: "show networks",
  options: { ...formatOption },
  schema: z.object({
    format: z.string().optional(),
    args: z.array(z.string()).min(1, "name at least one network"),
  }),
  run: async (o, ctx) => {
    const api = await ctx.api();
    const networks: NetworkView[] = [];
    for (const network of o.args) networks.push(await api.networks.inspect.query({ network }));
    printJson(networks);
  },
});
