/** `shoal service ps [OPTIONS] SERVICE...`: the services' tasks, history under each slot as docker. */
import { z } from "zod";
import type { TaskView } from "../../api-types.ts";
import { defineCommand } from "../../command.ts";
import { matchesAny, parseFilters } from "../../flags/filters.ts";
import { taskListFields, taskListOptions } from "../../flags/task-list-flags.ts";
import { hostnames, servicesById } from "../../lookups.ts";
import { outputFormat } from "../../output/print.ts";
import { printTasks } from "../../output/print-tasks.ts";
import { taskName } from "../../output/task-rows.ts";

export const command = defineCommand({
  usage: `usage: shoal service ps [OPTIONS] SERVICE [SERVICE...]

  -f, --filter K=V   desired-state=running|shutdown|..., node=, name=, id=
  --no-trunc         full ids and errors
  -q, --quiet        ids only
  --format json      the task objects as JSON`,
  summary: "list a service's tasks",
  options: taskListOptions,
  schema: z.object({
    ...taskListFields,
    args: z.array(z.string()).min(1, "name at least one service"),
  }),
  run: async (o, ctx) => {
    const filters = parseFilters(o.filter, ["desired-state", "node", "name", "id"]);
    const format = outputFormat(o.format);
    const api = await ctx.api();
    const services = await servicesById(api);
    const names = await hostnames(api);
    const desired = filters.get("desired-state");
    const tasks: TaskView[] = [];
    for (const service of o.args) {
      const listed = await api.tasks.list.query({
        filters: { service, ...(desired ? { desiredState: [...desired] } : {}) },
      });
      tasks.push(...listed.items);
    }
    const shown = tasks
      .filter((t) => matchesAny(filters, "id", (v) => t.id.startsWith(v)))
      .filter((t) => matchesAny(filters, "name", (v) => taskName(t, services).startsWith(v)))
      .filter((t) => matchesAny(filters, "node", (v) => t.nodeId.startsWith(v) || names.get(t.nodeId) === v));
    await printTasks(shown, {
      format,
      quiet: o.quiet,
      noTrunc: o["no-trunc"] === true,
      services,
      hostnames: async () => names,
    });
  },
});
