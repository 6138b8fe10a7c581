/**
 * Procedures managers forward to the leader on behalf of other nodes (never callable by users):
 * creating a joining node's object, adding a new manager to Raft as a learner, and removing one.
 */
import { randomInt } from "node:crypto";
import { ControlError, write } from "@shoal/manager";
import { ConfChangeType } from "@shoal/raft";
import { Node, type WriteTx } from "@shoal/store";
import { z } from "zod";
import type { LeaderContext } from "./control-procedures.ts";

const NewNodeInput = Node.omit({ version: true, createdAtMs: true, updatedAtMs: true });
const RaftJoinInput = z.object({ nodeId: z.string().min(1), addr: z.string().min(3).max(300) });
const RaftLeaveInput = z.object({ raftId: z.number().int().positive() });

export interface RaftMemberInfo {
  raftId: number;
  nodeId: string;
  addr: string;
}

/**
 * Creates the Node object the CA server built for a node that presented a valid join token (the
 * CA server's `createNode` hook: any manager issues the certificate, the leader writes the node).
 */
export async function createNode(ctx: LeaderContext, input: unknown): Promise<{ nodeId: string }> {
  const parsed = NewNodeInput.safeParse(input);
  if (!parsed.success) {
    throw new ControlError("invalid-argument", `invalid new node: ${parsed.error.issues[0]?.message}`);
  }
  const node = parsed.data;
  // Idempotent: a retry after a leader change finds the node the first attempt created.
  await ctx.store.update(
    (tx) => {
      if (!tx.nodes.get(node.id)) tx.create("node", node);
    },
    { actor: `node:${node.id}` },
  );
  return { nodeId: node.id };
}

/**
 * Adds a manager to Raft as a learner (the role manager promotes it to voter once it caught up)
 * and records its Raft id and address. Idempotent: a member that asks again (a restart) keeps its
 * id, with its new address.
 */
export async function raftJoin(
  ctx: LeaderContext,
  input: unknown,
): Promise<{ raftId: number; members: RaftMemberInfo[] }> {
  const p = RaftJoinInput.parse(input);
  const node = ctx.store.view((v) => v.nodes.get(p.nodeId));
  if (!node) throw new ControlError("not-found", `node ${p.nodeId} is not part of this swarm: join it first`);
  if (node.spec.role !== "manager") {
    throw new ControlError(
      "failed-precondition",
      `node ${p.nodeId} is not a manager: promote it first (node promote ${p.nodeId})`,
    );
  }
  const conf = ctx.state.raftStatus().confState;
  const known = node.managerStatus?.raftId ?? 0;
  const isMember = known > 0 && (conf.voters.includes(known) || conf.learners.includes(known));
  const raftId = isMember ? known : randomInt(1, 2 ** 31);
  if (!isMember) {
    await ctx.state.proposeConfChange({
      transition: "auto",
      changes: [{ type: ConfChangeType.AddLearner, nodeId: raftId }],
      context: new TextEncoder().encode(p.addr),
    });
  }
  // The joining node's own agent may be registering at the same time: retry on a version conflict.
  await write(ctx, `node ${p.nodeId}`, (tx) => {
    const current = mustGetNode(tx, p.nodeId);
    tx.update("node", {
      ...current,
      role: "manager",
      managerStatus: { raftId, addr: p.addr, leader: false, reachability: "unknown" },
    });
  });
  return { raftId, members: raftMembers(ctx) };
}

/** Removes a member from Raft and clears its manager status. */
export async function raftLeave(ctx: LeaderContext, input: unknown): Promise<{ ok: true }> {
  const p = RaftLeaveInput.parse(input);
  const conf = ctx.state.raftStatus().confState;
  if (conf.voters.includes(p.raftId) || conf.learners.includes(p.raftId)) {
    await ctx.state.proposeConfChange({
      transition: "auto",
      changes: [{ type: ConfChangeType.RemoveNode, nodeId: p.raftId }],
      context: new Uint8Array(0),
    });
  }
  await ctx.store.update((tx) => {
    const node = tx.nodes.all().find((n) => n.managerStatus?.raftId === p.raftId);
    if (node) tx.update("node", { ...node, managerStatus: undefined });
  });
  return { ok: true };
}

/** Every node the store records as a Raft member, with its address. */
export function raftMembers(ctx: Pick<LeaderContext, "store">): RaftMemberInfo[] {
  return ctx.store.view((v) =>
    v.nodes
      .all()
      .filter((n) => n.managerStatus !== undefined && n.managerStatus.raftId > 0)
      .map((n) => ({ raftId: n.managerStatus!.raftId, nodeId: n.id, addr: n.managerStatus!.addr })),
  );
}

function mustGetNode(tx: WriteTx, id: string): Node {
  const node = tx.nodes.get(id);
  if (!node) throw new ControlError("not-found", `node ${id} is not part of this swarm`);
  return node;
}
