/**
 * Expected failures of node-level calls (swarm init/join/leave, forwarding). Control API
 * failures stay ControlErrors (their codes survive forwarding); these carry the node's own codes.
 */
export type NodeErrorCode =
  | "not-in-swarm" // the call needs a swarm and this node is in none
  | "already-in-swarm" // init/join on a node that is already part of a swarm
  | "not-a-manager" // the call needs the manager role
  | "no-leader" // no Raft leader is known (election in progress or quorum lost)
  | "join-refused" // the remote manager refused the join (token, CA)
  | "unreachable" // the remote manager did not answer
  | "invalid-argument"
  | "locked"; // a manager waiting for its unlock key (autolock)

export class NodeError extends Error {
  constructor(
    readonly code: NodeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "NodeError";
  }
}
