/**
 * Node procedures that need more than the control API: join tokens, and promote/demote with
 * the Raft quorum check (the role manager then carries the change out).
 */
import { rotateJoinToken } from "@shoal/ca";
import { ControlError, inspectNode, updateNode } from "@shoal/manager";
import type { Node } from "@shoal/store";
import { z } from "zod";
import type { LeaderContext } from "./control-procedures.ts";
import { checkDemotion } from "./quorum.ts";

const JoinTokenInput = z.object({ role: z.enum(["worker", "manager"]), rotate: z.boolean().default(false) });
const NodeRoleChangeInput = z.object({ node: z.string().min(1, "name the node (hostname or id)") });

export async function joinToken(ctx: LeaderContext, input: unknown): Promise<{ token: string }> {
  const parsed = parse(JoinTokenInput, input, "join-token");
  if (parsed.rotate) {
    await ctx.store.update((tx) => {
      const cluster = tx.clusters.all()[0];
      if (!cluster) throw new ControlError("failed-precondition", "the swarm has no cluster object yet");
      const tokens = { ...cluster.rootCa.joinTokens };
      tokens[parsed.role] = rotateJoinToken(tokens[parsed.role]);
      tx.update("cluster", { ...cluster, rootCa: { ...cluster.rootCa, joinTokens: tokens } });
    });
  }
  const cluster = ctx.store.view((v) => v.clusters.all()[0]);
  if (!cluster) throw new ControlError("failed-precondition", "the swarm has no cluster object yet");
  return { token: cluster.rootCa.joinTokens[parsed.role] };
}

export async function promoteNode(
  ctx: LeaderContext,
  input: unknown,
): Promise<{ node: Node; message: string }> {
  const { node: ref } = parse(NodeRoleChangeInput, input, "node promote");
  const before = await inspectNode(ctx, { node: ref });
  const node = await updateNode(ctx, { node: before.id, role: "manager" });
  const message =
    before.spec.role === "manager"
      ? `node ${ref} is already a manager`
      : `node ${ref} promoted to a manager in the swarm: it joins Raft as a learner and votes once caught up`;
  return { node, message };
}

export async function demoteNode(
  ctx: LeaderContext,
  input: unknown,
): Promise<{ node: Node; message: string }> {
  const { node: ref } = parse(NodeRoleChangeInput, input, "node demote");
  const target = await inspectNode(ctx, { node: ref });
  if (target.spec.role === "worker") return { node: target, message: `node ${ref} is already a worker` };
  const status = ctx.state.raftStatus();
  const raftId = target.managerStatus?.raftId ?? 0;
  const reachable = ctx.reachableVoters();
  const check = checkDemotion({ name: ref, voters: status.confState.voters, target: raftId, reachable });
  if (!check.ok) throw new ControlError("failed-precondition", check.message);
  const node = await updateNode(ctx, { node: target.id, role: "worker" });
  return { node, message: `node ${ref} demoted in the swarm: ${check.summary}` };
}

function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join(".") || "(input)"}: ${i.message}`).join("; ");
  throw new ControlError("invalid-argument", `invalid ${what}: ${issues}`);
}
