/** `shoal swarm ca`: prints the root CA certificate. Rotation is not in the API yet (refused plainly). */
import { z } from "zod";
import { CliError } from "../../cli-error.ts";
import { defineCommand } from "../../command.ts";

export const command = defineCommand({
  usage: "usage: shoal swarm ca [--rotate]\n\nPrints the swarm's root CA certificate (PEM).",
  summary: "show the root CA",
  options: { rotate: { type: "boolean" }, quiet: { type: "boolean", short: "q" } },
  schema: z.object({
    rotate: z.boolean().optional(),
    quiet: z.boolean().optional(),
    args: z.array(z.string()).max(0, "swarm ca takes no arguments"),
  }),
  run: async (o, ctx) => {
    if (o.rotate) {
      throw new CliError(
        "root CA rotation is not supported by this Shoal version's API yet; the current CA stays valid for 20 years",
        1,
        "unsupported",
      );
    }
    const cluster = await (await ctx.api()).swarm.inspect.query();
    process.stdout.write(
      cluster.rootCa.caCertPem.endsWith("\n") ? cluster.rootCa.caCertPem : `${cluster.rootCa.caCertPem}\n`,
    );
  },
});
