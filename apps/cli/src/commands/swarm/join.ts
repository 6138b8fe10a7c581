/** `shoal [-H NODE] swarm join --token TOKEN MANAGER_ADDR`: the node at -H joins a swarm. */
import { z } from "zod";
import { defineCommand } from "../../command.ts";

export const command = defineCommand({
  usage: `usage: shoal [-H HOST] swarm join --token TOKEN [--advertise-addr A] MANAGER_HOST:PORT

The node whose API is at HOST joins the swarm of the manager at MANAGER_HOST:PORT (its node-to-node
address, 2377 by default).`,
  summary: "join a swarm",
  options: { token: { type: "string" }, "advertise-addr": { type: "string" } },
  schema: z.object({
    token: z.string({ error: "--token is required (shoal swarm join-token worker on a manager)" }),
    "advertise-addr": z.string().optional(),
    args: z.tuple([z.string()], { error: "name one manager's host:port" }),
  }),
  run: async (o, ctx) => {
    const r = await ctx.publicApi().swarm.join.mutate({
      token: o.token,
      remoteAddr: o.args[0],
      ...(o["advertise-addr"] ? { advertiseAddr: o["advertise-addr"] } : {}),
    });
    console.log(`This node joined a swarm as a ${r.role}.`);
  },
});
