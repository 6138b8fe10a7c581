/**
 * `shoal service inspect [--pretty] SERVICE...` (JSON by default, as docker: `endpoint` holds the
 * spec, the published ports and the virtual IPs per network; --pretty names the networks).
 */
import { z } from "zod";
import type { ServiceView } from "../../api-types.ts";
import { defineCommand, formatOption } from "../../command.ts";
import { printJson } from "../../output/print.ts";
import { prettyService } from "../../output/service-pretty.ts";

export const command = defineCommand({
  usage:
    "usage: shoal service inspect [--pretty] SERVICE [SERVICE...]\n\n  --pretty   human-readable\n  --format json   (default)",
  summary: "show services in detail",
  options: { pretty: { type: "boolean" }, ...formatOption },
  schema: z.object({
    pretty: z.boolean().optional(),
    format: z.string().optional(),
    args: z.array(z.string()).min(1, "name at least one service"),
  }),
  run: async (o, ctx) => {
    const api = await ctx.api();
    const services: ServiceView[] = [];
    for (const service of o.args) services.push(await api.services.inspect.query({ service }));
    if (!o.pretty) return printJson(services);
    const networks = (await api.networks.list.query()).items;
    const names = new Map(networks.map((n) => [n.id, n.spec.name]));
    console.log(services.map((s) => prettyService(s, names)).join("\n\n"));
  },
});
