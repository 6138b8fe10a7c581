import { z } from "zod";
import { Count, ObjectMeta, ObjectName } from "./common.ts";
import { ServiceSpec } from "./service.ts";

/** Named limit: revisions of one stack the store keeps (older ones live on in each manager's history). */
export const STACK_REVISIONS_KEPT_MAX = 10;

export const StackRevisionSpec = z.object({
  /** The stack's name (`stack deploy ... NAME`). */
  name: ObjectName,
  /** 1 for the first deploy, then one more per deploy. Unique per stack. */
  revision: z.number().int().min(1),
  /** The merged, interpolated, normalised stack file (what `stack config` prints). */
  yaml: z.string(),
  /** The service specs the deploy asked for, with ids resolved, sorted by name. */
  services: z.array(ServiceSpec),
  /** Services the deploy removed (`--prune`), by name. */
  pruned: z.array(z.string()).default([]),
  /** How many services the deploy created and updated. */
  created: Count.default(0),
  updated: Count.default(0),
});
export type StackRevisionSpec = z.infer<typeof StackRevisionSpec>;

/**
 * One `stack deploy`, written to the log in the deploy's last transaction so every manager's
 * history writer records the same revision. The store keeps the latest
 * `STACK_REVISIONS_KEPT_MAX` per stack; the deploy that adds one deletes the oldest.
 */
export const StackRevision = z.object({
  ...ObjectMeta,
  spec: StackRevisionSpec,
});
export type StackRevision = z.infer<typeof StackRevision>;
