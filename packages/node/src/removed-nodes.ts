/**
 * Removed nodes are remembered in the cluster object (`cluster.removedNodes`), so every manager —
 * also one restarted later, or one that joins afterwards — refuses their certificates. `node.remove`
 * runs the control API's removal, then records the id (bounded: the oldest are forgotten past
 * REMOVED_NODES_MAX, by which time their certificates have long expired).
 */
import { ControlError, inspectNode, RemoveNodeInput, removeNode } from "@shoal/manager";
import { REMOVED_NODES_MAX, type Store } from "@shoal/store";
import type { LeaderContext } from "./control-procedures.ts";

/** `node.remove`: removes the node (a worker; a ready one needs `force`) and records its id. */
export async function removeNodeRemembered(ctx: LeaderContext, input: unknown): Promise<void> {
  const parsed = RemoveNodeInput.safeParse(input ?? {});
  if (!parsed.success) {
    throw new ControlError("invalid-argument", `invalid node rm: ${parsed.error.issues[0]?.message}`);
  }
  const { id } = await inspectNode(ctx, { node: parsed.data.node });
  await removeNode(ctx, { node: id, force: parsed.data.force });
  await rememberRemovedNode(ctx.store, id);
}

export async function rememberRemovedNode(store: Store, nodeId: string): Promise<void> {
  await store.update((tx) => {
    const cluster = tx.clusters.all()[0];
    if (!cluster || cluster.removedNodes?.includes(nodeId)) return;
    const removedNodes = [...(cluster.removedNodes ?? []), nodeId].slice(-REMOVED_NODES_MAX);
    tx.update("cluster", { ...cluster, removedNodes });
  });
}

/** Answers "was this node removed?" from the cluster object, re-reading it only when it changed. */
export class RemovedNodes {
  private version = -1;
  private ids: ReadonlySet<string> = new Set();

  constructor(private readonly store: () => Store | undefined) {}

  has(nodeId: string): boolean {
    const cluster = this.store()?.view((v) => v.clusters.all()[0]);
    if (!cluster) return false;
    if (cluster.version !== this.version) {
      this.version = cluster.version;
      this.ids = new Set(cluster.removedNodes ?? []);
    }
    return this.ids.has(nodeId);
  }
}
