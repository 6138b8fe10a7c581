import type { ServiceSpec } from "@shoal/store";
import { diffFields, type FieldChange, formatFieldChange } from "./spec-diff.ts";

export type ServiceAction = "create" | "update" | "unchanged" | "remove" | "keep";

export interface ServicePlan {
  name: string;
  action: ServiceAction;
  /** For `update`: what changes. Empty otherwise. */
  changes: FieldChange[];
}

export interface StackPlan {
  services: ServicePlan[];
  /** True when applying the plan changes nothing. */
  isEmpty: boolean;
}

export interface PlanOptions {
  /** Remove services of the stack that the files no longer define (`--prune`). */
  prune?: boolean;
}

/**
 * What `stack deploy` will do: compare the stack's current services with the specs from the
 * files. Services only in the files are created; in both, updated when any field differs
 * (unchanged ones are left alone, so their tasks do not restart); only on the cluster, removed
 * with `prune`, else kept. Pure: the caller reads the current services and applies the plan.
 * Compare resolved specs (ids filled in) so references compare equal.
 */
export function planStackDeploy(
  current: readonly ServiceSpec[],
  desired: readonly ServiceSpec[],
  options: PlanOptions = {},
): StackPlan {
  const currentByName = new Map(current.map((s) => [s.name, s]));
  const desiredNames = new Set(desired.map((s) => s.name));
  const services: ServicePlan[] = desired.map((spec) => {
    const existing = currentByName.get(spec.name);
    if (!existing) return { name: spec.name, action: "create", changes: [] };
    const changes = diffFields(existing, spec);
    return { name: spec.name, action: changes.length > 0 ? "update" : "unchanged", changes };
  });
  for (const spec of current) {
    if (desiredNames.has(spec.name)) continue;
    services.push({ name: spec.name, action: options.prune ? "remove" : "keep", changes: [] });
  }
  services.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const isEmpty = services.every((s) => s.action === "unchanged" || s.action === "keep");
  return { services, isEmpty };
}

const VERB: Record<ServiceAction, string> = {
  create: "Creating service",
  update: "Updating service",
  unchanged: "Unchanged service",
  remove: "Removing service",
  keep: "Keeping service (not in the stack files; --prune removes it)",
};

/** The plan as lines a person reads: one per service, an indented line per changed field. */
export function formatStackPlan(plan: StackPlan): string {
  const lines: string[] = [];
  for (const s of plan.services) {
    lines.push(`${VERB[s.action]} ${s.name}`);
    for (const c of s.changes) lines.push(`  ${formatFieldChange(c)}`);
  }
  return lines.join("\n");
}
