/** `shoal network create [-d overlay] [--subnet CIDR [--gateway IP]] [--attachable] [--internal] NAME`. */
import { z } from "zod";
import { UsageError } from "../../cli-error.ts";
import { defineCommand } from "../../command.ts";
import { parseLabels } from "../../flags/key-value.ts";

export const command = defineCommand({
  usage: `usage: shoal network create [OPTIONS] NAME

  -d, --driver D       overlay (default)
  --subnet CIDR        e.g. 10.0.9.0/24 (default: cut from the swarm's address pool)
  --gateway IP         with --subnet (default: its first address)
  --attachable         standalone containers may attach
  --internal           no access to outside networks
  -o, --opt k=v        driver options
  -l, --label k=v`,
  summary: "create a network",
  options: {
    driver: { type: "string", short: "d" },
    subnet: { type: "string", multiple: true },
    gateway: { type: "string", multiple: true },
    attachable: { type: "boolean" },
    internal: { type: "boolean" },
    opt: { type: "string", short: "o", multiple: true },
    label: { type: "string", short: "l", multiple: true },
  },
  schema: z.object({
    driver: z.string().default("overlay"),
    subnet: z.array(z.string()).default([]),
    gateway: z.array(z.string()).default([]),
    attachable: z.boolean().default(false),
    internal: z.boolean().default(false),
    opt: z.array(z.string()).optional(),
    label: z.array(z.string()).optional(),
    args: z.tuple([z.string()], { error: "name the network" }),
  }),
  run: async (o, ctx) => {
    if (o.gateway.length > o.subnet.length) throw new UsageError("every --gateway needs its --subnet");
    const network = await (await ctx.api()).networks.create.mutate({
      name: o.args[0],
      driver: o.driver,
      driverOptions: parseLabels("opt", o.opt),
      labels: parseLabels("label", o.label),
      ipam: o.subnet.map((subnet, i) => ({ subnet, gateway: o.gateway[i] ?? firstHost(subnet) })),
      attachable: o.attachable,
      internal: o.internal,
    });
    console.log(network.id);
  },
});

/** 10.0.9.0/24 → 10.0.9.1 (docker's default gateway). */
export function firstHost(cidr: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr.trim());
  if (!m) throw new UsageError(`--subnet ${cidr}: a subnet is an IPv4 CIDR, e.g. 10.0.9.0/24`);
  const n = (Number(m[1]) << 24) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]) + 1;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}
