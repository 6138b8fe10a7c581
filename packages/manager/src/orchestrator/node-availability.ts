import type { Node } from "@shoal/store";

/** Tasks on this node must move (replicated) or stop (global): it is gone, down or drained. */
export function isNodeLost(node: Node | undefined): boolean {
  return node === undefined || node.status.state === "down" || node.spec.availability === "drain";
}

/** The node takes new tasks: ready and active. */
export function takesNewTasks(node: Node): boolean {
  return node.status.state === "ready" && node.spec.availability === "active";
}
