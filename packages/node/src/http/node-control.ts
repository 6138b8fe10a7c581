/**
 * `ApiContext.control` for a node: every API write goes through the node's control router, which
 * runs it here when this manager leads and otherwise forwards procedure, input and actor to the
 * leader (over the managers' mutual-TLS gRPC). Either way the leader stamps each committed
 * transaction with the actor, so the audit log reads the same whichever manager took the call.
 * Passwords never travel: the API hashes them on the manager that received them. Promote/demote
 * (`node.update` with a role) go through the node's `node.promote`/`node.demote`, which check the
 * Raft quorum first.
 */
import {
  type ApiContext,
  ApiError,
  type ControlInput,
  type ControlOutput,
  type ControlProcedureName,
} from "@shoal/api";
import type { ShoalNode } from "../shoal-node.ts";
import { notAManager } from "./manager-store.ts";
import { mapNodeErrors } from "./node-error-mapping.ts";

export function nodeControl(node: ShoalNode): ApiContext["control"] {
  return async <N extends ControlProcedureName>(
    procedure: N,
    input: ControlInput<N>,
    actor: string,
  ): Promise<ControlOutput<N>> => {
    if (node.manager === undefined) throw notAManager(node);
    const roleChange = asRoleChange(procedure, input);
    if (roleChange !== undefined) {
      const name = roleChange.role === "manager" ? "node.promote" : "node.demote";
      const result = (await mapNodeErrors(() => node.control(name, { node: roleChange.node }, actor))) as {
        node: ControlOutput<N>;
      };
      return result.node;
    }
    return (await mapNodeErrors(() => node.control(procedure, input, actor))) as ControlOutput<N>;
  };
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
