/**
 * `shoal swarm unlock`: gives a locked manager (autolock, after a restart) its unlock key. Asks
 * for it on a terminal (hidden), else reads it from stdin. Needs no login: the key is the proof.
 */
import { z } from "zod";
import { CliError } from "../../cli-error.ts";
import { defineCommand } from "../../command.ts";
import { ask, isInteractive, readStdin } from "../../prompt.ts";

export const command = defineCommand({
  usage: `usage: shoal [-H HOST] swarm unlock

  Asks for the unlock key (shoal swarm unlock-key shows it on an unlocked manager); reads it
  from stdin when not run in a terminal.`,
  summary: "unlock a locked manager",
  options: {},
  schema: z.object({
    args: z.array(z.string()).max(0, "swarm unlock takes no arguments: it asks for the key"),
  }),
  run: async (_o, ctx) => {
    const api = ctx.publicApi();
    const { swarm } = await api.swarm.status.query();
    if (swarm !== "locked") throw new CliError("Error: swarm is not locked");
    const key = isInteractive()
      ? await ask("Please enter unlock key: ", { hidden: true })
      : (await readStdin()).toString("utf8");
    if (key.trim() === "") throw new CliError("Error: no unlock key given");
    await api.swarm.unlock.mutate({ key: key.trim() });
  },
});
