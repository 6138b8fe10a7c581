import { DEFAULT_FILTERS, type Filter } from "./filters.ts";
import type { NodeInfo } from "./node-info.ts";
import type { TaskGroup } from "./task-group.ts";

/**
 * Runs the filters, in order, for one task group, and counts the nodes each filter turned away
 * (a node counts once, under the first filter it failed) so the rejection can be explained.
 */
export class Pipeline {
  private enabled: Filter[] = [];
  private dynamicEnabled: Filter[] = [];
  private group: TaskGroup | undefined;
  private readonly failures = new Map<Filter, number>();

  constructor(private readonly filters: readonly Filter[] = DEFAULT_FILTERS) {}

  /** Starts a new group: clears the counts. */
  setGroup(group: TaskGroup): void {
    this.group = group;
    this.enabled = this.filters.filter((f) => f.isEnabled(group));
    this.dynamicEnabled = this.enabled.filter((f) => f.dynamic);
    this.failures.clear();
  }

  /** Whether the node passes every filter; if not, counts it against the first it failed. */
  process(node: NodeInfo): boolean {
    return this.run(node, this.enabled);
  }

  /**
   * The first filter the node fails for one more task of the group, or undefined if it passes all.
   * Counts nothing: for a task pinned to this node, whose explanation names the node.
   */
  firstFailure(node: NodeInfo): Filter | undefined {
    if (this.group === undefined) throw new Error("pipeline: setGroup() before firstFailure()");
    const group = this.group;
    return this.enabled.find((f) => !f.check(node, group));
  }

  /** After a task was placed on a node that passed: whether it can take another one. */
  processAgain(node: NodeInfo): boolean {
    return this.run(node, this.dynamicEnabled);
  }

  /** "2 nodes not available for new tasks; 1 node insufficient resources", in filter order. */
  explain(): string {
    const parts: string[] = [];
    for (const f of this.filters) {
      const n = this.failures.get(f) ?? 0;
      if (n > 0) parts.push(`${n} node${n === 1 ? "" : "s"} ${f.reason}`);
    }
    return parts.join("; ");
  }

  private run(node: NodeInfo, filters: readonly Filter[]): boolean {
    const group = this.group;
    if (group === undefined) throw new Error("pipeline: setGroup() before process()");
    for (const f of filters) {
      if (!f.check(node, group)) {
        this.failures.set(f, (this.failures.get(f) ?? 0) + 1);
        return false;
      }
    }
    return true;
  }
}

/** The PENDING message of a task no node can take. */
export function noSuitableNodeMessage(explanation: string): string {
  return explanation === "" ? "no suitable node" : `no suitable node (${explanation})`;
}
