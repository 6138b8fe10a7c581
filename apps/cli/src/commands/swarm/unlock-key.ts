/** `shoal swarm unlock-key [--rotate] [-q]`: show or rotate the key that unlocks managers (autolock). */
import { z } from "zod";
import { defineCommand, quietOption } from "../../command.ts";
import { unlockInstructions } from "./unlock-instructions.ts";

export const command = defineCommand({
  usage: `usage: shoal swarm unlock-key [OPTIONS]

  --rotate      make a new unlock key (the previous one still unlocks a manager that was
                stopped during the rotation)
  -q, --quiet   print the key only`,
  summary: "show or rotate the unlock key",
  options: { rotate: { type: "boolean" }, ...quietOption },
  schema: z.object({
    rotate: z.boolean().optional(),
    quiet: z.boolean().optional(),
    args: z.array(z.string()).max(0, "swarm unlock-key takes no arguments"),
  }),
  run: async (o, ctx) => {
    const api = await ctx.api();
    const { unlockKey } = o.rotate
      ? await api.swarm.rotateUnlockKey.mutate()
      : await api.swarm.unlockKey.query();
    if (o.quiet) return console.log(unlockKey);
    if (o.rotate) console.log("Successfully rotated manager unlock key.\n");
    console.log(unlockInstructions(unlockKey));
  },
});
