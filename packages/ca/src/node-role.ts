/** The two roles a node certificate can carry, in its OU, exactly as swarm names them. */
export const NodeRole = {
  Manager: "swarm-manager",
  Worker: "swarm-worker",
} as const;
export type NodeRole = (typeof NodeRole)[keyof typeof NodeRole];

/** Extra DNS name on manager certificates: managers also answer as the CA. */
export const CA_DNS_NAME = "swarm-ca";

export function isNodeRole(value: string): value is NodeRole {
  return value === NodeRole.Manager || value === NodeRole.Worker;
}

/**
 * Node and cluster IDs go into certificate names and DNS SANs, so they must be plain DNS labels.
 * Swarm's IDs are 25 lowercase base36 characters; anything label-shaped is accepted here.
 */
const ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}
