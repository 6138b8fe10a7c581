/**
 * `shoal events [--filter type=service|node|task] [--format json]`: the cluster's events as they
 * happen (socket.io), one line each like docker's: `TIME KIND ACTION ID (name=NAME)`. Runs until
 * interrupted.
 */
import type { LiveEvent } from "@shoal/api";
import { z } from "zod";
import { CliError } from "../cli-error.ts";
import { defineCommand, filterOption, formatOption } from "../command.ts";
import { matchesAny, parseFilters } from "../flags/filters.ts";
import { connectLive, subscribe } from "../live-client.ts";
import { outputFormat } from "../output/print.ts";

export const command = defineCommand({
  usage: `usage: shoal events [OPTIONS]

  -f, --filter K=V   type=service|node|task, id= (prefix), name=, action=create|update|delete
  --format json      one JSON object per line`,
  summary: "stream events",
  options: { ...filterOption, ...formatOption },
  schema: z.object({
    filter: z.array(z.string()).optional(),
    format: z.string().optional(),
    args: z.array(z.string()).max(0, "events takes no arguments"),
  }),
  run: async (o, ctx) => {
    const filters = parseFilters(o.filter, ["type", "id", "name", "action"]);
    const json = outputFormat(o.format) === "json";
    const socket = await connectLive(ctx.host, (await ctx.credentials())?.token);
    socket.on("event", (e) => {
      if (!matchesAny(filters, "type", (v) => v === e.kind)) return;
      if (!matchesAny(filters, "id", (v) => e.id.startsWith(v))) return;
      if (!matchesAny(filters, "name", (v) => v === e.name)) return;
      if (!matchesAny(filters, "action", (v) => v === e.action)) return;
      console.log(json ? JSON.stringify(e) : formatEvent(e));
    });
    const ack = await subscribe(socket, ["events"]);
    if (!ack.ok) throw new CliError(ack.message, 1, ack.code);
    await new Promise<void>((_resolve, reject) => {
      socket.on("denied", (n) => reject(new CliError(n.message, 1, n.code)));
      process.once("SIGINT", () => {
        socket.close();
        process.exit(0);
      });
    });
  },
});

export function formatEvent(e: LiveEvent): string {
  const attrs = [`name=${e.name}`, ...(e.actor ? [`actor=${e.actor}`] : [])].join(", ");
  return `${new Date(e.timeMs).toISOString()} ${e.kind} ${e.action} ${e.id} (${attrs})`;
}
