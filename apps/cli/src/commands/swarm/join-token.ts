/** `shoal swarm join-token [--rotate] [-q] worker|manager`. */
import { z } from "zod";
import { defineCommand, quietOption } from "../../command.ts";
import { joinInstructions } from "./join-instructions.ts";

export const command = defineCommand({
  usage: `usage: shoal swarm join-token [OPTIONS] worker|manager

  --rotate      replace the token (nodes that already joined are not affected)
  -q, --quiet   print the token only`,
  summary: "show or rotate a join token",
  options: { rotate: { type: "boolean" }, ...quietOption },
  schema: z.object({
    rotate: z.boolean().optional(),
    quiet: z.boolean().optional(),
    args: z.tuple([z.enum(["worker", "manager"], { error: "name the role: worker or manager" })], {
      error: "name the role: worker or manager",
    }),
  }),
  run: async (o, ctx) => {
    const api = await ctx.api();
    const role = o.args[0];
    const { token } = o.rotate
      ? await api.swarm.rotateJoinToken.mutate({ role })
      : await api.swarm.joinToken.query({ role });
    if (o.quiet) return console.log(token);
    if (o.rotate) console.log(`Successfully rotated ${role} join token.\n`);
    const { advertiseAddr } = await api.swarm.status.query();
    console.log(joinInstructions(role, token, advertiseAddr));
  },
});
