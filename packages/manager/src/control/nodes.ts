import type { Node } from "@shoal/store";
import { Count, Labels, NodeAvailability, NodeRole } from "@shoal/store";
import { z } from "zod";
import { type ControlContext, checkVersion, parseInput, write } from "./control-context.ts";
import { ControlError } from "./control-error.ts";
import { describeNode, findNode } from "./resolve.ts";
import { hasLabel } from "./services.ts";

export const NodeRef = z.string().min(1, "name the node (hostname or id)");
export const InspectNodeInput = z.object({ node: NodeRef });
export const ListNodesInput = z
  .object({
    filters: z
      .object({
        role: NodeRole.optional(),
        availability: NodeAvailability.optional(),
        /** Node label filters: `key` or `key=value`. */
        label: z.array(z.string()).optional(),
      })
      .prefault({}),
  })
  .prefault({});
export const UpdateNodeInput = z.object({
  node: NodeRef,
  version: Count.optional(),
  availability: NodeAvailability.optional(),
  role: NodeRole.optional(),
  /** Replaces every label. */
  labels: Labels.optional(),
  /** Adds or changes labels (after `labels`). */
  labelAdd: Labels.optional(),
  /** Removes labels (after `labelAdd`). */
  labelRemove: z.array(z.string()).optional(),
});
export const RemoveNodeInput = z.object({ node: NodeRef, force: z.boolean().default(false) });
export type UpdateNodeInput = z.input<typeof UpdateNodeInput>;
export type ListNodesInput = z.input<typeof ListNodesInput>;

export async function inspectNode(
  ctx: ControlContext,
  input: z.input<typeof InspectNodeInput>,
): Promise<Node> {
  const { node } = parseInput(InspectNodeInput, input, "node inspect");
  return ctx.store.view((v) => findNode(v, node));
}

export async function listNodes(ctx: ControlContext, input: ListNodesInput = {}): Promise<Node[]> {
  const { filters } = parseInput(ListNodesInput, input, "node list filters");
  return ctx.store
    .view((v) => v.nodes.all())
    .filter(
      (n) =>
        (filters.role === undefined || n.spec.role === filters.role) &&
        (filters.availability === undefined || n.spec.availability === filters.availability) &&
        (filters.label === undefined || filters.label.every((l) => hasLabel(n.spec.labels, l))),
    )
    .sort((a, b) => describeNode(a).localeCompare(describeNode(b)));
}

/**
 * Changes what an operator controls on a node: availability, labels, role. Demoting the last
 * manager is refused. (Quorum checks and the certificate role change belong to the role manager.)
 */
export async function updateNode(ctx: ControlContext, input: UpdateNodeInput): Promise<Node> {
  const parsed = parseInput(UpdateNodeInput, input, "node update");
  const id = await write(ctx, `update node "${parsed.node}"`, (tx) => {
    const node = findNode(tx, parsed.node);
    checkVersion("node", describeNode(node), node.version, parsed.version);
    const labels = { ...(parsed.labels ?? node.spec.labels), ...parsed.labelAdd };
    for (const key of parsed.labelRemove ?? []) {
      if (!Object.hasOwn(labels, key)) {
        throw new ControlError(
          "invalid-argument",
          `node "${describeNode(node)}" has no label "${key}" to remove`,
        );
      }
      delete labels[key];
    }
    const role = parsed.role ?? node.spec.role;
    if (role === "worker" && node.spec.role === "manager") {
      const managers = tx.nodes.all().filter((n) => n.spec.role === "manager" && n.id !== node.id);
      if (managers.length === 0) {
        throw new ControlError(
          "failed-precondition",
          `node "${describeNode(node)}" is the last manager: promote another node before demoting it`,
        );
      }
    }
    const spec = { ...node.spec, labels, role, availability: parsed.availability ?? node.spec.availability };
    tx.update("node", { ...node, spec });
    return node.id;
  });
  return ctx.store.view((v) => findNode(v, id));
}

/** Removes a node from the cluster: only a worker, and one still ready only with `force`. */
export async function removeNode(ctx: ControlContext, input: z.input<typeof RemoveNodeInput>): Promise<void> {
  const parsed = parseInput(RemoveNodeInput, input, "node rm");
  await write(ctx, `remove node "${parsed.node}"`, (tx) => {
    const node = findNode(tx, parsed.node);
    const name = describeNode(node);
    if (node.spec.role === "manager" || node.role === "manager") {
      throw new ControlError(
        "failed-precondition",
        `node "${name}" is a manager: demote it first (node demote ${name})`,
      );
    }
    if (node.status.state === "ready" && !parsed.force) {
      throw new ControlError(
        "failed-precondition",
        `node "${name}" is ready and may run tasks: stop it or leave the swarm on it first, or remove it with force`,
      );
    }
    tx.delete("node", node);
  });
}
