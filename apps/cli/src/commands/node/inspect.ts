/** `shoal node inspect [--pretty] [--format json] NODE|self...`. */
import { z } from "zod";
import type { NodeView } from "../../api-types.ts";
import { defineCommand, formatOption } from "../../command.ts";
import { resolveSelf } from "../../lookups.ts";
import { managerStatus } from "../../output/node-rows.ts";
import { formatBytes, formatPretty, formatTime } from "../../output/pretty.ts";
import { printJson } from "../../output/print.ts";
import { capitalize } from "../../output/task-rows.ts";

export const command = defineCommand({
  usage:
    "usage: shoal node inspect [--pretty] NODE|self [NODE...]\n\n  --pretty   human-readable\n  --format json   (default)",
  summary: "show nodes in detail",
  options: { pretty: { type: "boolean" }, ...formatOption },
  schema: z.object({
    pretty: z.boolean().optional(),
    format: z.string().optional(),
    args: z.array(z.string()).min(1, "name at least one node (id, hostname or self)"),
  }),
  run: async (o, ctx) => {
    const api = await ctx.api();
    const nodes: NodeView[] = [];
    for (const ref of o.args)
      nodes.push(await api.nodes.inspect.query({ node: await resolveSelf(api, ref) }));
    if (!o.pretty) return printJson(nodes);
    console.log(nodes.map(prettyNode).join("\n\n"));
  },
});

export function prettyNode(n: NodeView): string {
  const d = n.description;
  return formatPretty([
    ["ID", n.id],
    ["Hostname", d?.hostname],
    ["Joined at", formatTime(n.createdAtMs)],
    ["Status"],
    [" State", capitalize(n.status.state)],
    [" Message", n.status.message],
    [" Availability", capitalize(n.spec.availability)],
    [" Address", n.status.addr],
    ...(n.managerStatus
      ? ([
          ["Manager Status"],
          [" Address", n.managerStatus.addr],
          [" Raft Status", managerStatus(n) === "Leader" ? "Reachable" : managerStatus(n)],
          [" Leader", n.managerStatus.leader ? "Yes" : "No"],
        ] as const)
      : []),
    ...(Object.keys(n.spec.labels).length > 0
      ? [["Labels"] as const, ...Object.entries(n.spec.labels).map(([k, v]) => [` - ${k}`, v] as const)]
      : []),
    ["Platform"],
    [" Operating System", d?.platform.os],
    [" Architecture", d?.platform.arch],
    ["Resources"],
    [" CPUs", d ? d.resources.nanoCpus / 1e9 : undefined],
    [" Memory", d ? formatBytes(d.resources.memoryBytes) : undefined],
    ["Engine Version", d?.engine.version],
  ]);
}
