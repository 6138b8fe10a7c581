/**
 * `ApiContext.control` for a node. On the leader the API's own control procedures run here
 * (`createLocalControl`), stamping each transaction with the actor for the audit log. On a
 * follower the write goes to the leader through the node's control forwarding, under the node's
 * name for it. Promote/demote (`node.update` with a role) always go through the node's
 * `node.promote`/`node.demote`, which check the Raft quorum first.
 */
import {
  type ApiContext,
  ApiError,
  type ControlInput,
  type ControlOutput,
  type ControlProcedureName,
  createLocalControl,
} from "@shoal/api";
import { systemClock } from "@shoal/manager";
import type { ShoalNode } from "../shoal-node.ts";
import { notAManager } from "./manager-store.ts";
import { mapNodeErrors } from "./node-error-mapping.ts";

/** API procedures the node's forwarding knows by the same name. */
const FORWARDED_AS_IS = new Set<string>([
  "cluster.update",
  "cluster.rotateRootCa",
  "node.update",
  "node.remove",
  "service.create",
  "service.update",
  "service.scale",
  "service.rollback",
  "service.remove",
  "network.create",
  "network.remove",
  "secret.create",
  "secret.remove",
  "config.create",
  "config.remove",
]);

export function nodeControl(node: ShoalNode): ApiContext["control"] {
  return async <N extends ControlProcedureName>(
    procedure: N,
    input: ControlInput<N>,
    actor: string,
  ): Promise<ControlOutput<N>> => {
    const manager = node.manager;
    if (manager === undefined) throw notAManager(node);
    const roleChange = asRoleChange(procedure, input);
    if (roleChange !== undefined) {
      const name = roleChange.role === "manager" ? "node.promote" : "node.demote";
      const result = (await mapNodeErrors(() => node.control(name, { node: roleChange.node }, actor))) as {
        node: ControlOutput<N>;
      };
      return result.node;
    }
    if (manager.state.leadership.current.isLeader) {
      return createLocalControl(manager.state.store, systemClock)(procedure, input, actor);
    }
    return (await mapNodeErrors(() => forward(node, procedure, input, actor))) as ControlOutput<N>;
  };
}

async function forward(node: ShoalNode, procedure: string, input: unknown, actor: string): Promise<unknown> {
  if (FORWARDED_AS_IS.has(procedure)) return node.control(procedure, input, actor);
  if (procedure === "cluster.rotateJoinToken") {
    const role = (input as { role: "worker" | "manager" }).role;
    const result = (await node.control("swarm.joinToken", { role, rotate: true }, actor)) as {
      token: string;
    };
    return { role, token: result.token };
  }
  throw new ApiError(
    "unavailable",
    `${procedure} runs on the leader only for now and this manager is a follower: open the dashboard on the leader`,
  );
}

function asRoleChange(procedure: string, input: unknown): { node: string; role: string } | undefined {
  if (procedure !== "node.update") return undefined;
  const { node, role, ...rest } = (input ?? {}) as { node?: unknown; role?: unknown };
  if (typeof node !== "string" || typeof role !== "string") return undefined;
  if (Object.keys(rest).length > 0) {
    throw new ApiError("invalid-argument", "change a node's role on its own, not together with other fields");
  }
  return { node, role };
}
