/** `shoal stack logs [OPTIONS] STACK` (Shoal only): every service of the stack, merged in time order. */
import { z } from "zod";
import { defineCommand } from "../../command.ts";
import { LOG_FLAGS_USAGE, logFlagsSchema, logOptions, toLogOptions } from "../../flags/log-flags.ts";
import { printLogs } from "../../logs/print-logs.ts";
import { outputFormat } from "../../output/print.ts";

export const command = defineCommand({
  usage: `usage: shoal stack logs [OPTIONS] STACK

${LOG_FLAGS_USAGE}`,
  summary: "print the logs of every service of a stack, in time order",
  options: logOptions,
  schema: logFlagsSchema.extend({
    args: z.array(z.string()).length(1, "name one stack"),
  }),
  run: async (o, ctx) => {
    const json = outputFormat(o.format) === "json";
    const [stack] = o.args as [string];
    await printLogs(ctx, { path: "stacks.logs", input: { ...toLogOptions(o), stack }, json });
  },
});
