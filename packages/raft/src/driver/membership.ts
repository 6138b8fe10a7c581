/**
 * Keeps the transport's address book in step with membership changes. A conf change that adds a
 * node carries the node's address as UTF-8 in its context; removed nodes are dropped. (A snapshot
 * carries no addresses: a node restored from one learns them from its caller.)
 */
import type { Transport } from "../transport/transport.ts";
import { type ConfChange, ConfChangeType, type Logger } from "../types.ts";

export function applyMembership(transport: Transport, cc: ConfChange, logger: Logger): void {
  const address = cc.context.length > 0 ? new TextDecoder().decode(cc.context) : "";
  for (const change of cc.changes) {
    if (change.nodeId === transport.id) continue;
    if (change.type === ConfChangeType.RemoveNode) transport.removePeer(change.nodeId);
    else if (address !== "") transport.addPeer(change.nodeId, address);
    else
      logger.debug("driver: conf change names no address; keeping the transport's", { node: change.nodeId });
  }
}
