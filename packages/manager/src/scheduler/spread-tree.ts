import { Heap } from "./heap.ts";
import type { NodeInfo } from "./node-info.ts";
import { type SpreadDescriptor, spreadValue } from "./placement.ts";

/**
 * Takes one node for the next task. `place` puts the task on it and says whether the node can take
 * another; a branch that cannot place anything more is dropped for the rest of the group.
 */
export interface Placer {
  take(place: (node: NodeInfo) => boolean): NodeInfo | undefined;
}

interface Entry {
  readonly info: NodeInfo;
  /** The service failed here recently: tried last. Fixed for the group. */
  readonly failed: boolean;
  /** Invariant: info.serviceTasks(serviceId), cached (the heap compares it often). */
  serviceTasks: number;
}

/** Nodes in swarm's order: recently failed last, then fewest tasks of the service, then fewest tasks. */
export class NodeQueue implements Placer {
  private readonly heap: Heap<Entry>;
  /** Invariant: tasks of the service on the nodes of this queue (for the parent's spread order). */
  serviceTasks = 0;

  constructor(private readonly serviceId: string) {
    this.heap = new Heap<Entry>(entryLess);
  }

  add(info: NodeInfo, failed: boolean): void {
    const serviceTasks = info.serviceTasks(this.serviceId);
    this.heap.push({ info, failed, serviceTasks });
    this.serviceTasks += serviceTasks;
  }

  take(place: (node: NodeInfo) => boolean): NodeInfo | undefined {
    const entry = this.heap.pop();
    if (entry === undefined) return undefined;
    const fits = place(entry.info);
    entry.serviceTasks = entry.info.serviceTasks(this.serviceId);
    if (fits) this.heap.push(entry);
    this.serviceTasks++;
    return entry.info;
  }
}

function entryLess(a: Entry, b: Entry): boolean {
  if (a.failed !== b.failed) return b.failed;
  if (a.serviceTasks !== b.serviceTasks) return a.serviceTasks < b.serviceTasks;
  if (a.info.activeTasks !== b.info.activeTasks) return a.info.activeTasks < b.info.activeTasks;
  return a.info.id < b.info.id;
}

/** One level of spread: a child per label value; the next task goes to the child with fewest. */
export class SpreadBranch implements Placer {
  private readonly heap = new Heap<SpreadChild>(
    (a, b) =>
      a.placer.serviceTasks < b.placer.serviceTasks ||
      (a.placer.serviceTasks === b.placer.serviceTasks && a.value < b.value),
  );
  serviceTasks = 0;

  constructor(children: readonly SpreadChild[]) {
    for (const c of children) {
      this.heap.push(c);
      this.serviceTasks += c.placer.serviceTasks;
    }
  }

  take(place: (node: NodeInfo) => boolean): NodeInfo | undefined {
    for (;;) {
      const child = this.heap.pop();
      if (child === undefined) return undefined;
      const taken = child.placer.take(place);
      if (taken === undefined) continue;
      this.heap.push(child);
      this.serviceTasks++;
      return taken;
    }
  }
}

interface SpreadChild {
  readonly value: string;
  readonly placer: NodeQueue | SpreadBranch;
}

/**
 * Builds the placement tree of a group: one level per spread preference (nodes lacking the label
 * form their own group, value ""), a NodeQueue at each leaf.
 */
export function buildPlacer(
  nodes: readonly { info: NodeInfo; failed: boolean }[],
  serviceId: string,
  spread: readonly SpreadDescriptor[],
): NodeQueue | SpreadBranch {
  const [level, ...rest] = spread;
  if (level === undefined) {
    const queue = new NodeQueue(serviceId);
    for (const n of nodes) queue.add(n.info, n.failed);
    return queue;
  }
  const byValue = new Map<string, { info: NodeInfo; failed: boolean }[]>();
  for (const n of nodes) {
    const value = spreadValue(n.info.node, level);
    const list = byValue.get(value);
    if (list === undefined) byValue.set(value, [n]);
    else list.push(n);
  }
  const children: SpreadChild[] = [];
  for (const [value, list] of byValue) children.push({ value, placer: buildPlacer(list, serviceId, rest) });
  return new SpreadBranch(children);
}
