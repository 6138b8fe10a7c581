/** `shoal network inspect [--pretty] NETWORK...` (JSON by default: the network, its containers, services and peers). */
import { z } from "zod";
import type { NetworkView } from "../../api-types.ts";
import { defineCommand, formatOption } from "../../command.ts";
import { prettyNetwork } from "../../output/network-pretty.ts";
import { printJson } from "../../output/print.ts";

export const command = defineCommand({
  usage:
    "usage: shoal network inspect [--pretty] NETWORK [NETWORK...]\n\n  --pretty   human-readable: services with their VIPs, task containers with node and address, nodes\n  --format json   (default)",
  summary: "show networks",
  options: { pretty: { type: "boolean" }, ...formatOption },
  schema: z.object({
    pretty: z.boolean().optional(),
    format: z.string().optional(),
    args: z.array(z.string()).min(1, "name at least one network"),
  }),
  run: async (o, ctx) => {
    const api = await ctx.api();
    const networks: NetworkView[] = [];
    for (const network of o.args) networks.push(await api.networks.inspect.query({ network }));
    if (!o.pretty) return printJson(networks);
    console.log(networks.map(prettyNetwork).join("\n\n"));
  },
});
