/** `shoal stack config -c FILE [-c FILE...]`: the merged, normalised stack file (as the manager reads it). */
import { z } from "zod";
import { defineCommand } from "../../command.ts";
import { readStack } from "../../stack/stack-source.ts";

export const command = defineCommand({
  usage:
    "usage: shoal stack config -c FILE [-c FILE...]\n\nPrints the merged stack file with variables interpolated.",
  summary: "print the merged stack file",
  options: { "compose-file": { type: "string", short: "c", multiple: true } },
  schema: z.object({
    "compose-file": z.array(z.string(), { error: "give the stack file with -c FILE" }).min(1),
    args: z.array(z.string()).max(0, "stack config takes no arguments"),
  }),
  run: async (o, ctx) => {
    const { source } = await readStack(o["compose-file"], "stack");
    const { yaml } = await (await ctx.api()).stacks.config.mutate({ ...source });
    process.stdout.write(yaml.endsWith("\n") ? yaml : `${yaml}\n`);
  },
});
