import type { Node, Placement } from "@shoal/store";
import { type Constraint, parseConstraints } from "./constraint.ts";
import { PlacementError } from "./placement-error.ts";

/** One spread level: which label's values the tasks are spread over. */
export interface SpreadDescriptor {
  readonly text: string;
  readonly source: "node.labels" | "engine.labels";
  readonly label: string;
}

export interface ParsedPlacement {
  readonly constraints: readonly Constraint[];
  readonly spread: readonly SpreadDescriptor[];
  /** 0 = unlimited. */
  readonly maxReplicas: number;
}

/**
 * Checks and parses a task template's placement: what the control API calls when a service is
 * created or updated (throws PlacementError with a message for the user), and what the scheduler
 * uses to place its tasks.
 */
export function parsePlacement(placement: Placement): ParsedPlacement {
  return {
    constraints: parseConstraints(placement.constraints),
    spread: placement.preferences.map((p) => parseSpread(p.spread)),
    maxReplicas: placement.maxReplicas,
  };
}

/** `node.labels.X` or `engine.labels.X`. */
export function parseSpread(text: string): SpreadDescriptor {
  const trimmed = text.trim();
  const lower = trimmed.toLowerCase();
  for (const source of ["node.labels", "engine.labels"] as const) {
    const prefix = `${source}.`;
    if (lower.startsWith(prefix) && trimmed.length > prefix.length) {
      return { text: trimmed, source, label: trimmed.slice(prefix.length) };
    }
  }
  throw new PlacementError(
    "invalid-preference",
    `invalid placement preference "spread=${text}": spread over node.labels.<label> or engine.labels.<label>`,
  );
}

/** The node's value for a spread level; nodes lacking the label share the group "". */
export function spreadValue(node: Node, d: SpreadDescriptor): string {
  const labels = d.source === "node.labels" ? node.spec.labels : node.description?.engine.labels;
  return labels?.[d.label] ?? "";
}
