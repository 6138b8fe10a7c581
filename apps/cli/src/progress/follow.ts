/**
 * After a service write: `--detach` returns at once; otherwise the CLI follows the service until it
 * converges (progress on stdout, nothing with `--quiet`) and fails with the reason when it does not.
 */
import type { ServiceView } from "../api-types.ts";
import type { CliContext } from "../cli-context.ts";
import type { Output } from "./progress-renderer.ts";
import { watchService } from "./watch-service.ts";

export interface FollowFlags {
  readonly detach?: boolean | undefined;
  readonly quiet?: boolean | undefined;
}

const SILENT: Output = { write: () => {} };

export async function followService(
  ctx: CliContext,
  service: ServiceView,
  flags: FollowFlags,
  options: { expectRollback?: boolean; header?: string } = {},
): Promise<void> {
  if (flags.detach) return;
  const credentials = await ctx.credentials();
  await watchService({
    api: await ctx.api(),
    host: ctx.host,
    token: credentials?.token,
    serviceId: service.id,
    sinceMs: service.updatedAtMs,
    out: flags.quiet ? SILENT : process.stdout,
    ...(options.expectRollback ? { expectRollback: true } : {}),
    ...(options.header && !flags.quiet ? { header: options.header } : {}),
  });
}

/** `service rollback NAME` and `service update --rollback NAME`: roll back, then follow it. */
export async function rollbackAndFollow(ctx: CliContext, name: string, flags: FollowFlags): Promise<void> {
  const rolled = await (await ctx.api()).services.rollback.mutate({ service: name });
  console.log(name);
  await followService(ctx, rolled, flags, {
    expectRollback: true,
    header: "rollback: manually requested rollback",
  });
}
