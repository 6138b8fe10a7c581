/** `shoal service logs [OPTIONS] SERVICE|TASK`: a service's (or one task's) logs, as docker. */
import { z } from "zod";
import { defineCommand } from "../../command.ts";
import { LOG_FLAGS_USAGE, logFlagsSchema, logOptions, toLogOptions } from "../../flags/log-flags.ts";
import { printLogs } from "../../logs/print-logs.ts";
import { outputFormat } from "../../output/print.ts";

export const command = defineCommand({
  usage: `usage: shoal service logs [OPTIONS] SERVICE|TASK

${LOG_FLAGS_USAGE}`,
  summary: "print a service's or a task's logs",
  options: logOptions,
  schema: logFlagsSchema.extend({
    args: z.array(z.string()).length(1, "name one service or task"),
  }),
  run: async (o, ctx) => {
    const json = outputFormat(o.format) === "json";
    const [service] = o.args as [string];
    await printLogs(ctx, { path: "services.logs", input: { ...toLogOptions(o), service }, json });
  },
});
