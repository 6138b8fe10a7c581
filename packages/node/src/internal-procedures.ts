/**
 * Procedures managers forward to the leader on behalf of other nodes (never callable by users):
 * registering a joining node, recording a certificate role change, adding a new manager to Raft
 * as a learner, and removing one.
 */
import { randomInt } from "node:crypto";
import { ControlError } from "@shoal/manager";
import { ConfChangeType } from "@shoal/raft";
import type { Node, WriteTx } from "@shoal/store";
import { z } from "zod";
import type { LeaderContext } from "./control-procedures.ts";

const Role = z.enum(["manager", "worker"]);
const RegisterNodeInput = z.object({ role: Role, hostname: z.string().max(253), addr: z.string().max(300) });
const SetNodeRoleInput = z.object({ nodeId: z.string().min(1), role: Role });
const RaftJoinInput = z.object({ nodeId: z.string().min(1), addr: z.string().min(3).max(300) });
const RaftLeaveInput = z.object({ raftId: z.number().int().positive() });

export interface RaftMemberInfo {
  raftId: number;
  nodeId: string;
  addr: string;
}

/** Creates the Node object of a node that presented a valid join token; returns its id. */
export async function registerNode(ctx: LeaderContext, input: unknown): Promise<{ nodeId: string }> {
  const p = RegisterNodeInput.parse(input);
  const { value } = await ctx.store.update((tx) =>
    tx.create("node", {
      spec: { labels: {}, role: p.role, availability: "active" },
      description: {
        hostname: p.hostname,
        platform: { os: "", arch: "" },
        resources: { nanoCpus: 0, memoryBytes: 0 },
        engine: { version: "", labels: {} },
      },
      status: { state: "unknown", message: "joined the swarm", addr: hostOf(p.addr) },
      role: p.role,
    }),
  );
  return { nodeId: value };
}

/** Records the role of a node's newly issued certificate (a promoted worker's manager cert). */
export async function setNodeRole(ctx: LeaderContext, input: unknown): Promise<{ ok: true }> {
  const p = SetNodeRoleInput.parse(input);
  await ctx.store.update((tx) => {
    const node = mustGetNode(tx, p.nodeId);
    if (node.role !== p.role) tx.update("node", { ...node, role: p.role });
  });
  return { ok: true };
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
  await ctx.store.update((tx) => {
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

function hostOf(addr: string): string {
  const i = addr.lastIndexOf(":");
  return i > 0 ? addr.slice(0, i) : addr;
}
