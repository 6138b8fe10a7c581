import {
  type ControlContext,
  createConfig,
  createNetwork,
  createSecret,
  createService,
  deployStack,
  removeConfig,
  removeNetwork,
  removeNode,
  removeSecret,
  removeService,
  removeStack,
  revertStack,
  rollbackService,
  rotateRootCa,
  rotateUnlockKey,
  scaleService,
  updateCluster,
  updateNode,
  updateService,
} from "@shoal/manager";
import {
  createApiToken,
  createUser,
  removeUser,
  revokeApiToken,
  setupFirstUser,
  updateUser,
} from "../auth/access-control.ts";
import { rotateJoinToken } from "./join-tokens.ts";

/**
 * Every write the API can ask for, by name. The node runs them on the leader (or forwards name,
 * input and actor to it); inputs are plain JSON and every function validates its own input.
 * Reads do not come here: they allow staleness and read this manager's store.
 */
export const CONTROL_PROCEDURES = {
  "cluster.update": updateCluster,
  "cluster.rotateJoinToken": rotateJoinToken,
  "cluster.rotateRootCa": rotateRootCa,
  "cluster.rotateUnlockKey": rotateUnlockKey,
  "node.update": updateNode,
  "node.remove": removeNode,
  "service.create": createService,
  "service.update": updateService,
  "service.scale": scaleService,
  "service.rollback": rollbackService,
  "service.remove": removeService,
  "network.create": createNetwork,
  "network.remove": removeNetwork,
  "secret.create": createSecret,
  "secret.remove": removeSecret,
  "config.create": createConfig,
  "config.remove": removeConfig,
  "stack.deploy": deployStack,
  "stack.remove": removeStack,
  "stack.revert": revertStack,
  "auth.setup": setupFirstUser,
  "user.create": createUser,
  "user.update": updateUser,
  "user.remove": removeUser,
  "token.create": createApiToken,
  "token.revoke": revokeApiToken,
} as const;

export type ControlProcedureName = keyof typeof CONTROL_PROCEDURES;
export type ControlInput<N extends ControlProcedureName> = Parameters<(typeof CONTROL_PROCEDURES)[N]>[1];
export type ControlOutput<N extends ControlProcedureName> = Awaited<
  ReturnType<(typeof CONTROL_PROCEDURES)[N]>
>;

export function isControlProcedureName(name: unknown): name is ControlProcedureName {
  return typeof name === "string" && Object.hasOwn(CONTROL_PROCEDURES, name);
}

/** Runs a control procedure on this manager's store (the leader's). */
export function runControlProcedure<N extends ControlProcedureName>(
  ctx: ControlContext,
  procedure: N,
  input: ControlInput<N>,
): Promise<ControlOutput<N>> {
  const fn = CONTROL_PROCEDURES[procedure] as (
    ctx: ControlContext,
    input: unknown,
  ) => Promise<ControlOutput<N>>;
  return fn(ctx, input);
}
