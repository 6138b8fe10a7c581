/** `shoal network ls [-q] [--filter name=|id=|driver=] [--format json]`: NETWORK ID NAME DRIVER SCOPE. */
import { z } from "zod";
import { defineCommand, filterOption, formatOption, quietOption } from "../../command.ts";
import { matchesAny, parseFilters } from "../../flags/filters.ts";
import { printList } from "../../output/print.ts";
import { shortId } from "../../output/table.ts";

export const command = defineCommand({
  usage: "usage: shoal network ls [-q] [--filter name=|id=|driver=] [--format json]",
  summary: "list networks",
  options: { ...filterOption, ...quietOption, ...formatOption },
  schema: z.object({
    filter: z.array(z.string()).optional(),
    quiet: z.boolean().optional(),
    format: z.string().optional(),
    args: z.array(z.string()).max(0, "network ls takes no arguments"),
  }),
  run: async (o, ctx) => {
    const f = parseFilters(o.filter, ["name", "id", "driver"]);
    const items = (await (await ctx.api()).networks.list.query()).items
      .filter((n) => matchesAny(f, "name", (v) => n.spec.name.startsWith(v)))
      .filter((n) => matchesAny(f, "id", (v) => n.id.startsWith(v)))
      .filter((n) => matchesAny(f, "driver", (v) => n.spec.driver.name === v))
      .sort((a, b) => a.spec.name.localeCompare(b.spec.name));
    printList({
      items,
      format: o.format,
      quiet: o.quiet === true,
      id: (n) => n.id,
      header: ["NETWORK ID", "NAME", "DRIVER", "SCOPE"],
      row: (n) => [shortId(n.id), n.spec.name, n.spec.driver.name, "swarm"],
    });
  },
});
