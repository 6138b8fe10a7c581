/**
 * `shoal service update [OPTIONS] SERVICE`: changes the current spec with docker's flags
 * (`--image`, `--replicas`, `--env-add`, `--publish-rm`, ..., `--force`, `--rollback`), then follows
 * the rolling update until it converges (or fails, pauses, rolls back).
 */
import { z } from "zod";
import type { ServiceSpecInput } from "../../api-types.ts";
import { defineCommand } from "../../command.ts";
import { SERVICE_FLAGS_HELP, ServiceFlags, UPDATE_OPTIONS } from "../../flags/service-flags.ts";
import { applyServiceFlags } from "../../flags/service-spec-flags.ts";
import { followService, rollbackAndFollow } from "../../progress/follow.ts";

export const command = defineCommand({
  usage: `usage: shoal service update [OPTIONS] SERVICE

  --image IMAGE   --args "CMD ARG..."   --force (redeploy every task)   --rollback
  List flags take -add / -rm: --env-add K=V --env-rm K --publish-add 8080:80 --publish-rm 80
  --constraint-add/-rm --placement-pref-add/-rm --label-add/-rm --container-label-add/-rm
  --mount-add/-rm (rm by target) --secret-add/-rm --config-add/-rm --network-add/-rm
${SERVICE_FLAGS_HELP}`,
  summary: "update a service",
  options: UPDATE_OPTIONS,
  schema: ServiceFlags.extend({ args: z.tuple([z.string()], { error: "name one service" }) }),
  run: async (o, ctx) => {
    const api = await ctx.api();
    const name = o.args[0];
    if (o.rollback) return rollbackAndFollow(ctx, name, o);
    const current = await api.services.inspect.query({ service: name });
    const networks = await api.networks.list.query();
    const spec = structuredClone(current.spec) as ServiceSpecInput;
    applyServiceFlags(spec, o, "update", {
      networkIdByName: new Map(networks.items.map((n) => [n.spec.name, n.id])),
    });
    const updated = await api.services.update.mutate({
      service: current.id,
      version: current.version,
      spec,
      force: o.force === true,
    });
    console.log(name);
    await followService(ctx, updated, o);
  },
});
