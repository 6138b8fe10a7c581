/** `shoal node update [--availability A] [--label-add k=v] [--label-rm k] [--role R] NODE`. */
import { z } from "zod";
import { UsageError } from "../../cli-error.ts";
import { defineCommand } from "../../command.ts";
import { parseLabels } from "../../flags/key-value.ts";
import { resolveSelf } from "../../lookups.ts";

export const command = defineCommand({
  usage: `usage: shoal node update [OPTIONS] NODE

  --availability active|pause|drain
  --label-add k=v      (repeatable)
  --label-rm k         (repeatable)
  --role worker|manager  (same as promote / demote)`,
  summary: "change a node",
  options: {
    availability: { type: "string" },
    "label-add": { type: "string", multiple: true },
    "label-rm": { type: "string", multiple: true },
    role: { type: "string" },
  },
  schema: z.object({
    availability: z.enum(["active", "pause", "drain"]).optional(),
    "label-add": z.array(z.string()).optional(),
    "label-rm": z.array(z.string()).optional(),
    role: z.enum(["worker", "manager"]).optional(),
    args: z.tuple([z.string()], { error: "name one node (id, hostname or self)" }),
  }),
  run: async (o, ctx) => {
    const api = await ctx.api();
    const node = await resolveSelf(api, o.args[0]);
    const labelAdd = o["label-add"] ? parseLabels("label-add", o["label-add"]) : undefined;
    const changes = {
      ...(o.availability ? { availability: o.availability } : {}),
      ...(labelAdd ? { labelAdd } : {}),
      ...(o["label-rm"] ? { labelRemove: o["label-rm"] } : {}),
    };
    if (Object.keys(changes).length === 0 && o.role === undefined) {
      throw new UsageError("name something to change: --availability, --label-add, --label-rm or --role");
    }
    if (Object.keys(changes).length > 0) await api.nodes.update.mutate({ node, ...changes });
    if (o.role) await api.nodes.setRole.mutate({ node, role: o.role });
    console.log(o.args[0]);
  },
});
