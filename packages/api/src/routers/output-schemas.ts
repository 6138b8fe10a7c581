import { type ControlContext, RootRotationStatus } from "@shoal/manager";
import { Cluster, Config, Network, Node, RootCa, Secret, SecretSpec, Service, Task } from "@shoal/store";
import { z } from "zod";
import type { RequestContext } from "../trpc.ts";

/** The cluster without its CA keys and unlock keys; a root CA rotation shows as its progress. */
export const ClusterView = Cluster.omit({ unlockKeys: true, rootCa: true }).extend({
  rootCa: RootCa.omit({ caKeyPem: true, rotation: true }).extend({ rotation: RootRotationStatus.optional() }),
});
/** A secret without its data. */
export const SecretView = Secret.extend({ spec: SecretSpec.omit({ data: true }) });
export {
  Config as ConfigView,
  Network as NetworkView,
  Node as NodeView,
  Service as ServiceView,
  Task as TaskView,
};

/** A list and the store version it was read at: live updates resume after that version. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ version: z.number().int(), items: z.array(item) });
}

/** Reads allow staleness: they run against this manager's own replica. */
export function readContext(ctx: RequestContext): ControlContext {
  return { store: ctx.api.store, clock: ctx.api.clock };
}

/**
 * Runs a list read and stamps it with the store version taken first (the control functions read
 * their view synchronously inside the call, so the version is never newer than the items).
 */
export async function listed<T>(ctx: RequestContext, read: (c: ControlContext) => Promise<T[]>) {
  const version = ctx.api.store.version;
  return { version, items: await read(readContext(ctx)) };
}
