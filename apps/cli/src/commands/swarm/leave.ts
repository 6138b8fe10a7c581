/**
 * `shoal [-H HOST] swarm leave [--force]`: the node at -H leaves its swarm (`swarm.leave`). It
 * acts on that node alone, so it works without a leader; on a manager that has users it needs an
 * admin's stored token (`shoal login`).
 */
import { z } from "zod";
import { defineCommand } from "../../command.ts";

export const command = defineCommand({
  usage: `usage: shoal [-H HOST] swarm leave [--force]

  -f, --force      leave even as a manager (demote it first to keep the swarm's quorum safe)`,
  summary: "leave the swarm",
  options: { force: { type: "boolean", short: "f" } },
  schema: z.object({
    force: z.boolean().default(false),
    args: z.array(z.string()).max(0, "swarm leave takes no arguments"),
  }),
  run: async (o, ctx) => {
    await (await ctx.api()).swarm.leave.mutate({ force: o.force });
    console.log("Node left the swarm.");
  },
});
