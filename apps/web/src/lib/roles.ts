/** Viewer < operator < admin, as the API's procedure tiers (packages/api/src/auth/roles.ts). */
export type Role = "viewer" | "operator" | "admin";
const RANK: Record<string, number> = { viewer: 1, operator: 2, admin: 3 };

export function hasRole(actual: string | undefined, needed: Role): boolean {
  return (RANK[actual ?? ""] ?? 0) >= RANK[needed]!;
}
