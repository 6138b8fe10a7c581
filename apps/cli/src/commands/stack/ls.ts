/** `shoal stack ls [--format json]`: NAME SERVICES. */
import { z } from "zod";
import { defineCommand, formatOption } from "../../command.ts";
import { printList } from "../../output/print.ts";

export const command = defineCommand({
  usage: "usage: shoal stack ls [--format json]",
  summary: "list stacks",
  options: { ...formatOption },
  schema: z.object({
    format: z.string().optional(),
    args: z.array(z.string()).max(0, "stack ls takes no arguments"),
  }),
  run: async (o, ctx) => {
    const stacks = await (await ctx.api()).stacks.list.query();
    printList({
      items: [...stacks.items].sort((a, b) => a.name.localeCompare(b.name)),
      format: o.format,
      id: (s) => s.name,
      header: ["NAME", "SERVICES"],
      row: (s) => [s.name, String(s.services)],
    });
  },
});
