/** `shoal stack ps [OPTIONS] STACK`: the stack's tasks as `service ps` shows them. */
import { TASK_STATE_NAMES } from "@shoal/store";
import { z } from "zod";
import { defineCommand } from "../../command.ts";
import { matchesAny, parseFilters } from "../../flags/filters.ts";
import { taskListFields, taskListOptions } from "../../flags/task-list-flags.ts";
import { hostnames } from "../../lookups.ts";
import { outputFormat } from "../../output/print.ts";
import { printTasks } from "../../output/print-tasks.ts";

export const command = defineCommand({
  usage: `usage: shoal stack ps [OPTIONS] STACK

  -f, --filter desired-state=running|shutdown|...
  --no-trunc   -q, --quiet   --format json`,
  summary: "list a stack's tasks",
  options: taskListOptions,
  schema: z.object({
    ...taskListFields,
    args: z.tuple([z.string()], { error: "name the stack" }),
  }),
  run: async (o, ctx) => {
    const filters = parseFilters(o.filter, ["desired-state"]);
    const format = outputFormat(o.format);
    const api = await ctx.api();
    const services = (await api.stacks.services.query({ name: o.args[0] })).items;
    const tasks = (await api.stacks.tasks.query({ name: o.args[0] })).items.filter((t) =>
      matchesAny(filters, "desired-state", (v) => t.desiredState === desiredStateOf(v)),
    );
    await printTasks(tasks, {
      format,
      quiet: o.quiet,
      noTrunc: o["no-trunc"] === true,
      services: new Map(services.map((s) => [s.id, s])),
      hostnames: () => hostnames(api),
    });
  },
});

function desiredStateOf(name: string): number | undefined {
  const entry = Object.entries(TASK_STATE_NAMES).find(([, n]) => n === name);
  return entry ? Number(entry[0]) : undefined;
}
