/** `shoal stack services [-q] [--format json] STACK`: the stack's services as `service ls` shows them. */
import { z } from "zod";
import { defineCommand, formatOption, quietOption } from "../../command.ts";
import { printList } from "../../output/print.ts";
import { SERVICE_HEADER, serviceCounts, serviceRow } from "../../output/service-rows.ts";

export const command = defineCommand({
  usage: "usage: shoal stack services [-q] [--format json] STACK",
  summary: "list a stack's services",
  options: { ...quietOption, ...formatOption },
  schema: z.object({
    quiet: z.boolean().optional(),
    format: z.string().optional(),
    args: z.tuple([z.string()], { error: "name the stack" }),
  }),
  run: async (o, ctx) => {
    const api = await ctx.api();
    const services = await api.stacks.services.query({ name: o.args[0] });
    const tasks = (await api.stacks.tasks.query({ name: o.args[0] })).items;
    printList({
      items: [...services.items].sort((a, b) => a.spec.name.localeCompare(b.spec.name)),
      format: o.format,
      quiet: o.quiet === true,
      id: (s) => s.id,
      header: SERVICE_HEADER,
      row: (s) => serviceRow(s, serviceCounts(s, tasks)),
    });
  },
});
