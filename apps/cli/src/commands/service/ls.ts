/** `shoal service ls [-q] [--filter name=|id=|label=|mode=] [--format json]`: ID NAME MODE REPLICAS IMAGE PORTS. */
import { z } from "zod";
import { defineCommand, filterOption, formatOption, quietOption } from "../../command.ts";
import { parseFilters } from "../../flags/filters.ts";
import { printList } from "../../output/print.ts";
import { SERVICE_HEADER, serviceCounts, serviceRow } from "../../output/service-rows.ts";

export const command = defineCommand({
  usage: `usage: shoal service ls [OPTIONS]

  -f, --filter K=V   name= (prefix), id= (prefix), label=k[=v], mode=replicated|global
  -q, --quiet        ids only
  --format json      the service objects as JSON`,
  summary: "list services",
  options: { ...filterOption, ...quietOption, ...formatOption },
  schema: z.object({
    filter: z.array(z.string()).optional(),
    quiet: z.boolean().optional(),
    format: z.string().optional(),
    args: z.array(z.string()).max(0, "service ls takes no arguments"),
  }),
  run: async (o, ctx) => {
    const f = parseFilters(o.filter, ["name", "id", "label", "mode"]);
    const api = await ctx.api();
    const list = (k: string) => (f.get(k) ? { [k]: [...(f.get(k) ?? [])] } : {});
    const mode = f.get("mode")?.[0] as "replicated" | "global" | undefined;
    const services = await api.services.list.query({
      filters: { ...list("name"), ...list("id"), ...list("label"), ...(mode ? { mode } : {}) },
    });
    const tasks = o.quiet
      ? []
      : (await api.tasks.list.query({ filters: { desiredState: ["running"] } })).items;
    const items = [...services.items].sort((a, b) => a.spec.name.localeCompare(b.spec.name));
    printList({
      items,
      format: o.format,
      quiet: o.quiet === true,
      id: (s) => s.id,
      header: SERVICE_HEADER,
      row: (s) => serviceRow(s, serviceCounts(s, tasks)),
    });
  },
});
