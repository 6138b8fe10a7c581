/**
 * `shoal service create [OPTIONS] IMAGE [COMMAND] [ARG...]`: creates the service, prints its id,
 * then shows per-task progress until it converges (`--detach` skips the wait).
 */
import { z } from "zod";
import type { ServiceSpecInput } from "../../api-types.ts";
import { defineCommand } from "../../command.ts";
import { CREATE_OPTIONS, SERVICE_FLAGS_HELP, ServiceFlags } from "../../flags/service-flags.ts";
import { applyServiceFlags } from "../../flags/service-spec-flags.ts";
import { followService } from "../../progress/follow.ts";

export const command = defineCommand({
  usage: `usage: shoal service create [OPTIONS] IMAGE [COMMAND] [ARG...]

  --name NAME   the service's name (required)
${SERVICE_FLAGS_HELP}`,
  summary: "create a service",
  options: CREATE_OPTIONS,
  optionsEndAtFirstPositional: true,
  schema: ServiceFlags.extend({
    name: z.string({ error: "--name is required" }),
    args: z.array(z.string()).min(1, "name the image"),
  }),
  run: async (o, ctx) => {
    const [image = "", ...args] = o.args as string[];
    const spec: ServiceSpecInput = { name: o.name, taskTemplate: { containerSpec: { image, args } } };
    applyServiceFlags(spec, o, "create");
    const service = await (await ctx.api()).services.create.mutate({ spec });
    console.log(service.id);
    await followService(ctx, service, o);
  },
});
