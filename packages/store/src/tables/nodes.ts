import type { Node, NodeAvailability, NodeRole, NodeState } from "../objects/node.ts";
import { Table } from "./table.ts";
import { TableReader } from "./table-reader.ts";

/** A node's name: the operator's spec.name, else the hostname it reported. Not unique. */
export function nodeName(node: Node): string | undefined {
  return node.spec.name ?? node.description?.hostname;
}

export function createNodeTable(): Table<Node> {
  return new Table<Node>({
    kind: "node",
    indexes: {
      name: nodeName,
      role: (n) => n.role,
      availability: (n) => n.spec.availability,
      state: (n) => n.status.state,
    },
  });
}

export class NodeReader extends TableReader<Node> {
  /** Node names are not unique (two machines may share a hostname). */
  byName(name: string): Node[] {
    return this.find("name", name);
  }

  /** By the role of the node's current certificate (`role`, not `spec.role`). */
  byRole(role: NodeRole): Node[] {
    return this.find("role", role);
  }

  byAvailability(availability: NodeAvailability): Node[] {
    return this.find("availability", availability);
  }

  byState(state: NodeState): Node[] {
    return this.find("state", state);
  }
}
