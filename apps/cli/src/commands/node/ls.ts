/** `shoal node ls [-q] [--filter role=|availability=|label=|name=|id=] [--format json]`. */
import { z } from "zod";
import { defineCommand, filterOption, formatOption, quietOption } from "../../command.ts";
import { matchesAny, parseFilters } from "../../flags/filters.ts";
import { selfNodeId } from "../../lookups.ts";
import { NODE_HEADER, nodeRow } from "../../output/node-rows.ts";
import { printList } from "../../output/print.ts";

export const command = defineCommand({
  usage: `usage: shoal node ls [OPTIONS]

  -f, --filter K=V   id=, name= (hostname prefix), role=manager|worker, availability=, label=k[=v]
  -q, --quiet        ids only
  --format json      the node objects as JSON`,
  summary: "list nodes",
  options: { ...filterOption, ...quietOption, ...formatOption },
  schema: z.object({
    filter: z.array(z.string()).optional(),
    quiet: z.boolean().optional(),
    format: z.string().optional(),
    args: z.array(z.string()).max(0, "node ls takes no arguments"),
  }),
  run: async (o, ctx) => {
    const filters = parseFilters(o.filter, ["id", "name", "role", "availability", "label", "membership"]);
    const api = await ctx.api();
    const role = filters.get("role")?.[0] as "manager" | "worker" | undefined;
    const availability = filters.get("availability")?.[0] as "active" | "pause" | "drain" | undefined;
    const nodes = await api.nodes.list.query({
      filters: {
        ...(role ? { role } : {}),
        ...(availability ? { availability } : {}),
        ...(filters.get("label") ? { label: [...(filters.get("label") ?? [])] } : {}),
      },
    });
    const self = await selfNodeId(api);
    const items = nodes.items
      .filter((n) => matchesAny(filters, "id", (v) => n.id.startsWith(v)))
      .filter((n) => matchesAny(filters, "name", (v) => (n.description?.hostname ?? "").startsWith(v)))
      .sort((a, b) => (a.description?.hostname ?? "").localeCompare(b.description?.hostname ?? ""));
    printList({
      items,
      format: o.format,
      quiet: o.quiet === true,
      id: (n) => n.id,
      header: NODE_HEADER,
      row: (n) => nodeRow(n, self),
    });
  },
});
