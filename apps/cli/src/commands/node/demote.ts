/** `shoal node demote NODE...` (refused for the last manager or when quorum would be lost). */
import { z } from "zod";
import { defineCommand } from "../../command.ts";
import { setRoles } from "./set-role.ts";

export const command = defineCommand({
  usage: "usage: shoal node demote NODE [NODE...]",
  summary: "make managers workers",
  options: {},
  schema: z.object({ args: z.array(z.string()).min(1, "name at least one node") }),
  run: (o, ctx) => setRoles(ctx, o.args, "worker"),
});
