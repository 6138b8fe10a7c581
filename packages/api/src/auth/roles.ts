import type { UserRole } from "@shoal/store";

/** Each role can do everything the roles before it can. */
const ROLE_RANK: Readonly<Record<UserRole, number>> = { viewer: 1, operator: 2, admin: 3 };

export function hasRole(role: UserRole, required: UserRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[required];
}

export function lowerRole(a: UserRole, b: UserRole): UserRole {
  return ROLE_RANK[a] <= ROLE_RANK[b] ? a : b;
}
