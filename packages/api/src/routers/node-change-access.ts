import { authorize, type RequestContext } from "../trpc.ts";

/**
 * Who may change this node itself (leave the swarm, force a new cluster). A manager holds the
 * swarm's users in its own replica, quorum or not, so once users exist it needs an admin's
 * credentials. A worker or a node in no swarm knows no users: whoever reaches its API may, as
 * with `swarm init` before any swarm exists (the API listens on loopback by default).
 */
export function authorizeNodeChange(ctx: RequestContext, path: string, isManager: boolean): void {
  if (!isManager || ctx.services.authenticator.needsSetup()) return;
  authorize(ctx, path, "admin");
}
