/**
 * What the dispatcher writes on Node objects: the session's status (READY on registration, DOWN
 * when heartbeats stop), the address the session comes from, and the description the agent
 * reports. Patches for one node merge (the latest state wins); a patch that changes nothing
 * writes nothing.
 */
import type { Node, NodeDescription, NodeState, WriteTx } from "@shoal/store";
import { sameJson } from "./same-json.ts";

export interface NodePatch {
  readonly state: NodeState;
  readonly message: string;
  readonly addr?: string;
  readonly description?: NodeDescription;
}

/** Later fields win; a description or address once given is kept. */
export function mergeNodePatch(pending: NodePatch | undefined, next: NodePatch): NodePatch {
  if (!pending) return next;
  return {
    state: next.state,
    message: next.message,
    ...((next.addr ?? pending.addr) !== undefined ? { addr: next.addr ?? pending.addr } : {}),
    ...((next.description ?? pending.description) !== undefined
      ? { description: next.description ?? pending.description }
      : {}),
  };
}

/** Applies `patch` to the node in `tx`; false when the node is gone or nothing would change. */
export function writeNodePatch(tx: WriteTx, nodeId: string, patch: NodePatch): boolean {
  const node = tx.nodes.get(nodeId);
  if (!node) return false;
  const status = { state: patch.state, message: patch.message, addr: patch.addr ?? node.status.addr };
  const next: Node = { ...node, status, ...(patch.description ? { description: patch.description } : {}) };
  if (sameJson(next.status, node.status) && sameJson(next.description, node.description)) {
    return false;
  }
  tx.update("node", next);
  return true;
}
