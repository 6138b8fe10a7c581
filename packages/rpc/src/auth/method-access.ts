/**
 * Who may call each method on the node-to-node port: the authorization table. One place, so a
 * reader (and a test) can see the whole policy. A method missing from the table is refused.
 */
import { NodeRole } from "@shoal/ca";
import { methodPath, shoalServices } from "../proto/load-protos.ts";

export type MethodAccess =
  /** Anyone who completes a TLS handshake, certificate or not (the CA's join calls). */
  | { readonly kind: "open" }
  /**
   * A node with a valid, non-removed certificate of this swarm whose role is listed. When
   * `relayable`, a manager may also make the call for another node (relayed-caller.ts).
   */
  | { readonly kind: "node"; readonly roles: readonly NodeRole[]; readonly relayable?: boolean };

const OPEN: MethodAccess = { kind: "open" };
const ANY_NODE: MethodAccess = { kind: "node", roles: [NodeRole.Worker, NodeRole.Manager] };
/** The agent's dispatcher calls: a follower relays them to the leader for the agent. */
const ANY_NODE_RELAYABLE: MethodAccess = { ...ANY_NODE, relayable: true };
const MANAGERS: MethodAccess = { kind: "node", roles: [NodeRole.Manager] };

/** Method path ("/shoal.raft.Raft/Join") → access rule. */
export function methodAccessTable(): ReadonlyMap<string, MethodAccess> {
  const { ca, dispatcher, raft, control } = shoalServices();
  const rows: [grpcService: typeof ca, method: string, access: MethodAccess][] = [
    [ca, "GetRootCACertificate", OPEN],
    [ca, "IssueNodeCertificate", OPEN],
    [ca, "NodeCertificateStatus", ANY_NODE],
    [ca, "RenewNodeCertificate", ANY_NODE],
    [dispatcher, "Session", ANY_NODE_RELAYABLE],
    [dispatcher, "Heartbeat", ANY_NODE_RELAYABLE],
    [dispatcher, "Assignments", ANY_NODE_RELAYABLE],
    [dispatcher, "UpdateTaskStatus", ANY_NODE_RELAYABLE],
    [dispatcher, "PublishLogs", ANY_NODE_RELAYABLE],
    [dispatcher, "SubscribeLogs", ANY_NODE_RELAYABLE],
    [dispatcher, "Endpoints", ANY_NODE_RELAYABLE],
    [raft, "ProcessRaftMessage", MANAGERS],
    [raft, "ResolveAddress", MANAGERS],
    [raft, "Join", MANAGERS],
    [raft, "Leave", MANAGERS],
    [control, "Forward", MANAGERS],
    [control, "SubscribeLogs", MANAGERS],
  ];
  const table = new Map<string, MethodAccess>();
  for (const [service, method, access] of rows) table.set(methodPath(service, method), access);
  for (const service of [ca, dispatcher, raft, control]) {
    for (const definition of Object.values(service.service)) {
      if (!table.has(definition.path)) throw new Error(`authorization table misses ${definition.path}`);
    }
  }
  return table;
}
