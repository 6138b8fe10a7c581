/** `shoal node ps [NODE|self...]`: the tasks on nodes (default: the node serving the API). */
import { z } from "zod";
import type { TaskView } from "../../api-types.ts";
import { defineCommand } from "../../command.ts";
import { matchesAny, parseFilters } from "../../flags/filters.ts";
import { taskListFields, taskListOptions } from "../../flags/task-list-flags.ts";
import { hostnames, resolveSelf, servicesById } from "../../lookups.ts";
import { outputFormat } from "../../output/print.ts";
import { printTasks } from "../../output/print-tasks.ts";
import { taskName } from "../../output/task-rows.ts";

export const command = defineCommand({
  usage: `usage: shoal node ps [OPTIONS] [NODE|self...]

  -f, --filter K=V   desired-state=running|shutdown|..., name= (task name prefix), id=
  --no-trunc         full ids and errors
  -q, --quiet        ids only
  --format json      the task objects as JSON`,
  summary: "list tasks on nodes",
  options: taskListOptions,
  schema: z.object({
    ...taskListFields,
    args: z.array(z.string()),
  }),
  run: async (o, ctx) => {
    const filters = parseFilters(o.filter, ["desired-state", "name", "id"]);
    const api = await ctx.api();
    const services = await servicesById(api);
    const tasks: TaskView[] = [];
    for (const ref of o.args.length > 0 ? o.args : ["self"]) {
      const node = await resolveSelf(api, ref);
      const desired = filters.get("desired-state");
      tasks.push(
        ...(
          await api.tasks.list.query({
            filters: { node, ...(desired ? { desiredState: [...desired] } : {}) },
          })
        ).items,
      );
    }
    const shown = tasks
      .filter((t) => matchesAny(filters, "id", (v) => t.id.startsWith(v)))
      .filter((t) => matchesAny(filters, "name", (v) => taskName(t, services).startsWith(v)));
    await printTasks(shown, {
      format: outputFormat(o.format),
      quiet: o.quiet,
      noTrunc: o["no-trunc"] === true,
      services,
      hostnames: () => hostnames(api),
    });
  },
});
