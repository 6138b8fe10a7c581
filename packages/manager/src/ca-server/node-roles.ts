/** The store names roles "worker"/"manager"; certificates carry swarm's "swarm-worker"/"swarm-manager". */
import { NodeRole as CertRole } from "@shoal/ca";
import type { NodeRole } from "@shoal/store";

export function certRoleOf(role: NodeRole): CertRole {
  return role === "manager" ? CertRole.Manager : CertRole.Worker;
}

export function storeRoleOf(role: CertRole): NodeRole {
  return role === CertRole.Manager ? "manager" : "worker";
}
