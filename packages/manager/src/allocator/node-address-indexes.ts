import type { Node } from "@shoal/store";
import { MAX_NODE_ADDRESSES } from "./address-pool.ts";
import { AllocationError } from "./allocation-error.ts";

/**
 * Which node holds which slot among the addresses overlay networks keep for nodes
 * (`Node.networkAddressIndex`). A node keeps its slot for as long as it exists, so removing an
 * older node never moves another node's address; a removed node's slot is free for the next one.
 * Allocation takes the lowest free slot, so the same store state always gives the same answer.
 */
export class NodeAddressIndexes {
  /** Invariant: index → the node holding it, and back. */
  private readonly holders = new Map<number, string>();
  private readonly indexOf = new Map<string, number>();

  /** Takes in what a stored node holds; false when it holds none or another node has it. */
  put(node: Node): boolean {
    const index = node.networkAddressIndex;
    if (index === undefined) return false;
    const holder = this.holders.get(index);
    if (holder !== undefined && holder !== node.id) return false;
    this.remove(node.id);
    this.holders.set(index, node.id);
    this.indexOf.set(node.id, index);
    return true;
  }

  remove(nodeId: string): void {
    const index = this.indexOf.get(nodeId);
    if (index === undefined) return;
    this.indexOf.delete(nodeId);
    this.holders.delete(index);
  }

  /** Every slot is held: nodes without one wait until a node is removed. */
  get isFull(): boolean {
    return this.holders.size >= MAX_NODE_ADDRESSES;
  }

  /** The node's slot: the one it holds, else the lowest free one. */
  allocate(nodeId: string): number {
    const held = this.indexOf.get(nodeId);
    if (held !== undefined) return held;
    let index = 0;
    while (this.holders.has(index)) index++;
    if (index >= MAX_NODE_ADDRESSES) {
      throw new AllocationError(
        "addresses-exhausted",
        `node ${nodeId} gets no address on overlay networks: all ${MAX_NODE_ADDRESSES} node addresses are taken; remove nodes that left the swarm (node rm)`,
      );
    }
    this.holders.set(index, nodeId);
    this.indexOf.set(nodeId, index);
    return index;
  }
}
