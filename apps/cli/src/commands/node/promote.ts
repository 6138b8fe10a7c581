/** `shoal node promote NODE...`. */
import { z } from "zod";
import { defineCommand } from "../../command.ts";
import { setRoles } from "./set-role.ts";

export const command = defineCommand({
  usage: "usage: shoal node promote NODE [NODE...]",
  summary: "make nodes managers",
  options: {},
  schema: z.object({ args: z.array(z.string()).min(1, "name at least one node") }),
  run: (o, ctx) => setRoles(ctx, o.args, "manager"),
});
