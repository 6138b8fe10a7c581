/**
 * The control procedures a node runs on the leader, by name: every write of the HTTP API
 * (`@shoal/api`'s CONTROL_PROCEDURES: the control API of @shoal/manager, join-token rotation,
 * users and API tokens), the reads the node's own callers use, the node's own procedures
 * (`swarm.joinToken`, `node.promote`, `node.demote`, `node.remove` that remembers the removed id)
 * and internal ones that managers forward on behalf of joining nodes (`internal.*`). Input is
 * plain JSON; every function validates its own with zod.
 */

import { CONTROL_PROCEDURES } from "@shoal/api";
import type { HistoryPage, HistoryRangeQuery } from "@shoal/api/history";
import type { ClusterState, ControlContext } from "@shoal/manager";
import * as control from "@shoal/manager";
import { historyRange } from "./history-procedures.ts";
import { createNode, raftJoin, raftLeave } from "./internal-procedures.ts";
import { demoteNode, joinToken, promoteNode } from "./node-procedures.ts";
import { removeNodeRemembered } from "./removed-nodes.ts";
import { rootRotationRenewed } from "./root-rotation-procedures.ts";

/** What a procedure runs against on the leader. */
export interface LeaderContext extends ControlContext {
  readonly state: ClusterState;
  /** Raft members the leader heard from within the last few election timeouts (itself included). */
  reachableVoters(): ReadonlySet<number>;
  /** This node's history rows of a range; absent when the node keeps no history database. */
  readonly exportHistory?: (range: HistoryRangeQuery) => Promise<HistoryPage>;
}

export type Procedure = (ctx: LeaderContext, input: unknown) => Promise<unknown>;

// biome-ignore lint/suspicious/noExplicitAny: each control API function checks its own input with zod
type AnyInput = any;
const api =
  (fn: (ctx: ControlContext, input: AnyInput) => Promise<unknown>): Procedure =>
  (ctx, input) =>
    fn(ctx, input ?? {});

/** The HTTP API's writes, by the API's names (the node's own below take precedence). */
const API_WRITES: Record<string, Procedure> = Object.fromEntries(
  Object.entries(CONTROL_PROCEDURES).map(([name, fn]) => [
    name,
    api(fn as (ctx: ControlContext, input: AnyInput) => Promise<unknown>),
  ]),
);

export const PROCEDURES: Readonly<Record<string, Procedure>> = Object.freeze({
  ...API_WRITES,
  "cluster.inspect": api((ctx) => control.inspectCluster(ctx)),
  "cluster.update": api(control.updateCluster),
  "cluster.rotateRootCa": api(control.rotateRootCa),
  "swarm.joinToken": joinToken,
  "node.list": api(control.listNodes),
  "node.inspect": api(control.inspectNode),
  "node.update": api(control.updateNode),
  "node.promote": promoteNode,
  "node.demote": demoteNode,
  "node.remove": removeNodeRemembered,
  "service.create": api(control.createService),
  "service.inspect": api(control.inspectService),
  "service.list": api(control.listServices),
  "service.update": api(control.updateService),
  "service.scale": api(control.scaleService),
  "service.rollback": api(control.rollbackService),
  "service.remove": api(control.removeService),
  "task.list": api(control.listTasks),
  "task.inspect": api(control.inspectTask),
  "network.create": api(control.createNetwork),
  "network.inspect": api(control.inspectNetwork),
  "network.list": api((ctx) => control.listNetworks(ctx)),
  "network.remove": api(control.removeNetwork),
  "secret.create": api(control.createSecret),
  "secret.inspect": api(control.inspectSecret),
  "secret.list": api((ctx) => control.listSecrets(ctx)),
  "secret.remove": api(control.removeSecret),
  "config.create": api(control.createConfig),
  "config.inspect": api(control.inspectConfig),
  "config.list": api((ctx) => control.listConfigs(ctx)),
  "config.remove": api(control.removeConfig),
  "stack.validate": api(control.validateStack),
  "stack.config": api(control.stackConfig),
  "stack.plan": api(control.planStack),
  "stack.deploy": api(control.deployStack),
  "stack.list": api((ctx) => control.listStacks(ctx)),
  "stack.services": api(control.stackServices),
  "stack.tasks": api(control.stackTasks),
  "stack.remove": api(control.removeStack),
  "stack.revisions": api(control.listStackRevisions),
  "stack.revision": api(control.inspectStackRevision),
  "stack.revert": api(control.revertStack),
  "internal.createNode": createNode,
  "internal.raftJoin": raftJoin,
  "internal.raftLeave": raftLeave,
  "internal.rootRotationRenewed": rootRotationRenewed,
  "internal.historyRange": historyRange,
});

/** Procedures only managers may call (through forwarding), never users. */
export function isInternalProcedure(name: string): boolean {
  return name.startsWith("internal.");
}
