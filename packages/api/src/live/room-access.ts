import type { UserRole } from "@shoal/store";
import type { Principal } from "../auth/principal.ts";
import { hasRole } from "../auth/roles.ts";

/** The role each room needs, by prefix: kind rooms and object rooms. */
const ROOM_ROLES: Readonly<Record<string, UserRole>> = {
  nodes: "viewer",
  services: "viewer",
  tasks: "viewer",
  events: "viewer",
  node: "viewer",
  service: "viewer",
  task: "viewer",
};
const ROOM = /^(nodes|services|tasks|events)$|^(node|service|task):([0-9a-z]{25})$/;

export type RoomDecision =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly code: "forbidden" | "unauthenticated" | "invalid-argument";
      readonly message: string;
    };

/** Whether a caller may join a room: the socket.io side of the procedure tiers. */
export function authorizeRoom(principal: Principal | undefined, room: string): RoomDecision {
  const match = ROOM.exec(room);
  if (match === null) {
    return {
      ok: false,
      code: "invalid-argument",
      message: `no room "${room}": use nodes, services, tasks, events or <kind>:<id>`,
    };
  }
  if (principal === undefined)
    return { ok: false, code: "unauthenticated", message: "log in or send an API token first" };
  const role = ROOM_ROLES[(match[1] ?? match[2]) as string] as UserRole;
  if (!hasRole(principal.role, role)) {
    return { ok: false, code: "forbidden", message: `room ${room} needs the ${role} role: ask an admin` };
  }
  return { ok: true };
}

/** The rooms a change of `kind` object `id` is sent to. */
export function roomsOf(kind: "node" | "service" | "task", id: string): [string, string] {
  return [`${kind}s`, `${kind}:${id}`];
}
