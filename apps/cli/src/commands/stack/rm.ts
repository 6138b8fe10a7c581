/** `shoal stack rm STACK...`: removes the stack's services, networks, secrets and configs. */
import { z } from "zod";
import { defineCommand } from "../../command.ts";

export const command = defineCommand({
  usage: "usage: shoal stack rm STACK [STACK...]",
  summary: "remove stacks",
  options: {},
  schema: z.object({ args: z.array(z.string()).min(1, "name at least one stack") }),
  run: async (o, ctx) => {
    const api = await ctx.api();
    for (const name of o.args) {
      const removed = await api.stacks.remove.mutate({ name });
      for (const s of removed.services) console.log(`Removing service ${s}`);
      for (const s of removed.secrets) console.log(`Removing secret ${s}`);
      for (const s of removed.configs) console.log(`Removing config ${s}`);
      for (const s of removed.networks) console.log(`Removing network ${s}`);
      if (
        removed.services.length +
          removed.networks.length +
          removed.secrets.length +
          removed.configs.length ===
        0
      ) {
        console.log(`Nothing found in stack: ${name}`);
      }
    }
  },
});
