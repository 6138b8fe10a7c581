import type { Node, Service, TaskSpec } from "@shoal/store";
import { type Constraint, nodeMatchesConstraints, parseConstraints } from "../scheduler/constraint.ts";

const parsed = new WeakMap<readonly string[], Constraint[] | undefined>();

/**
 * The service's placement constraints, parsed once per spec (the scheduler's parser). Undefined
 * when one does not parse (the control API refuses those; a stored one matches no node).
 */
export function serviceConstraints(service: Service): Constraint[] | undefined {
  return specConstraints(service.spec.taskTemplate);
}

/** A task spec's constraints, parsed once per spec; undefined when one does not parse. */
export function specConstraints(spec: TaskSpec): Constraint[] | undefined {
  const texts = spec.placement.constraints;
  if (parsed.has(texts)) return parsed.get(texts);
  let constraints: Constraint[] | undefined;
  try {
    constraints = parseConstraints(texts);
  } catch {
    constraints = undefined;
  }
  parsed.set(texts, constraints);
  return constraints;
}

/** Whether the node satisfies the service's constraints. */
export function nodeFitsService(node: Node, service: Service): boolean {
  const constraints = serviceConstraints(service);
  return constraints !== undefined && nodeMatchesConstraints(node, constraints);
}

/** Whether the node satisfies a task spec's constraints. */
export function nodeFitsSpec(node: Node, spec: TaskSpec): boolean {
  const constraints = specConstraints(spec);
  return constraints !== undefined && nodeMatchesConstraints(node, constraints);
}
