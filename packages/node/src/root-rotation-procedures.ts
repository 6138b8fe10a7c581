/**
 * The internal procedure through which any manager's CA server tells the leader that a node
 * received a certificate of the rotation's new root (the rotation's per-node progress).
 */
import { RootRotationRenewal, recordRootRotationRenewal } from "@shoal/manager";
import type { LeaderContext } from "./control-procedures.ts";

export async function rootRotationRenewed(ctx: LeaderContext, input: unknown): Promise<{ recorded: true }> {
  const renewal = RootRotationRenewal.parse(input);
  await ctx.store.update((tx) => recordRootRotationRenewal(tx, renewal), { actor: `node:${renewal.nodeId}` });
  return { recorded: true };
}
