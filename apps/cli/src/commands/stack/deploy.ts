/**
 * `shoal stack deploy -c FILE [-c FILE...] [--prune] [-d] STACK`: deploys in one manager call,
 * prints what changed as docker does, then follows each created or updated service until it
 * converges (`--detach` skips the wait).
 */
import { z } from "zod";
import { defineCommand } from "../../command.ts";
import { followService } from "../../progress/follow.ts";
import { readStack, readStackObjects } from "../../stack/stack-source.ts";

export const command = defineCommand({
  usage: `usage: shoal stack deploy [OPTIONS] STACK

  -c, --compose-file FILE   stack file (repeatable; later files override earlier ones)
  --prune                   remove services the files no longer define
  -d, --detach              do not wait for the services to converge
  -q, --quiet               no progress`,
  summary: "deploy a stack",
  options: {
    "compose-file": { type: "string", short: "c", multiple: true },
    prune: { type: "boolean" },
    detach: { type: "boolean", short: "d" },
    quiet: { type: "boolean", short: "q" },
  },
  schema: z.object({
    "compose-file": z.array(z.string(), { error: "give the stack file with -c FILE" }).min(1),
    prune: z.boolean().default(false),
    detach: z.boolean().optional(),
    quiet: z.boolean().optional(),
    args: z.tuple([z.string()], { error: "name the stack" }),
  }),
  run: async (o, ctx) => {
    const name = o.args[0];
    const { source, loaded } = await readStack(o["compose-file"], name);
    const objects = await readStackObjects(loaded);
    const api = await ctx.api();
    const result = await api.stacks.deploy.mutate({ name, ...source, prune: o.prune, ...objects });
    for (const w of result.plan.warnings) process.stderr.write(`warning: ${w.message}\n`);
    for (const obj of result.plan.objects)
      if (obj.action === "create") console.log(`Creating ${obj.kind} ${obj.name}`);
    const followed: string[] = [];
    for (const s of result.plan.services) {
      if (s.action === "create") console.log(`Creating service ${s.name}`);
      if (s.action === "update")
        console.log(`Updating service ${s.name} (id: ${result.serviceIds[s.name] ?? "?"})`);
      if (s.action === "remove") console.log(`Removing service ${s.name}`);
      if (s.action === "create" || s.action === "update") followed.push(s.name);
    }
    if (result.plan.isEmpty) console.log(`Stack ${name} is up to date (revision ${result.revision}).`);
    for (const serviceName of o.detach ? [] : followed) {
      const id = result.serviceIds[serviceName] ?? serviceName;
      const service = await api.services.inspect.query({ service: id });
      await followService(ctx, service, o, { header: serviceName });
    }
  },
});
