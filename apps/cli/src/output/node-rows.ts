/** `node ls` rows: ID HOSTNAME STATUS AVAILABILITY MANAGER STATUS ENGINE VERSION (docker's columns). */
import type { NodeView } from "../api-types.ts";
import { capitalize } from "./task-rows.ts";

export const NODE_HEADER = ["ID", "HOSTNAME", "STATUS", "AVAILABILITY", "MANAGER STATUS", "ENGINE VERSION"];

export function managerStatus(node: NodeView): string {
  const m = node.managerStatus;
  if (m === undefined) return "";
  if (m.leader) return "Leader";
  return capitalize(m.reachability);
}

/** `selfId` gets docker's ` *` after its id. */
export function nodeRow(node: NodeView, selfId: string | undefined): string[] {
  return [
    `${node.id}${node.id === selfId ? " *" : ""}`,
    node.description?.hostname ?? "",
    capitalize(node.status.state),
    capitalize(node.spec.availability),
    managerStatus(node),
    node.description?.engine.version ?? "",
  ];
}
