import type { ReadView } from "@shoal/store";
import { ApiError } from "../api-error.ts";
import { findUser } from "./access-control.ts";
import type { Principal } from "./principal.ts";

/**
 * The user whose tokens a call manages: the caller, unless `ref` names someone else, which only
 * admins may do. (Tier middleware says who may call tokens.*; this says whose tokens.)
 */
export function tokenOwner(v: ReadView, principal: Principal, ref: string | undefined): string {
  if (ref === undefined) return principal.userId;
  const user = findUser(v, ref);
  if (user.id !== principal.userId && principal.role !== "admin") {
    throw new ApiError(
      "forbidden",
      "only admins manage other users' tokens: leave out `user` to manage your own",
    );
  }
  return user.id;
}
