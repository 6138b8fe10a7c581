import type { ServiceSpec, Task } from "@shoal/store";
import { TaskState } from "@shoal/store";
import type { Harness } from "../testing/harness.ts";
import { REBALANCE_SETTLE_MS } from "./rebalancer.ts";

/** Test helper: the node goes down (its agent stopped heartbeating). */
export async function nodeDown(h: Harness, nodeId: string): Promise<void> {
  await h.agent.setNode(nodeId, (n) => ({ ...n, status: { ...n.status, state: "down" } }));
}

/** Test helper: the node comes back ready, then the settle period passes. */
export async function nodeBack(h: Harness, nodeId: string): Promise<void> {
  await h.agent.setNode(nodeId, (n) => ({ ...n, status: { ...n.status, state: "ready" } }));
  await h.advance(REBALANCE_SETTLE_MS);
}

/** Test helper: a replicated service, restarts without delay, monitor 0, with `change` applied. */
export async function createReplicated(
  h: Harness,
  replicas: number,
  change: (spec: ServiceSpec) => ServiceSpec = (s) => s,
): Promise<string> {
  const id = await h.createService("web", (s) =>
    change({
      ...s,
      mode: { replicated: { replicas } },
      updateConfig: { ...s.updateConfig, monitorMs: 0 },
      taskTemplate: { ...s.taskTemplate, restartPolicy: { ...s.taskTemplate.restartPolicy, delayMs: 0 } },
    }),
  );
  await h.converge();
  return id;
}

/** Test helper: how many tasks of the service run (and are meant to) on each node, by node id. */
export function runningPerNode(h: Harness, serviceId: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of h.running(serviceId)) {
    if (t.desiredState === TaskState.Running) counts.set(t.nodeId, (counts.get(t.nodeId) ?? 0) + 1);
  }
  return counts;
}

/** Test helper: the counts of `runningPerNode` for the given nodes, in their order. */
export function spreadOf(h: Harness, serviceId: string, nodeIds: readonly string[]): number[] {
  const counts = runningPerNode(h, serviceId);
  return nodeIds.map((id) => counts.get(id) ?? 0);
}

/** What a watch over every committed transaction saw for one service. */
export interface Observed {
  /** Fewest tasks observed RUNNING and desired RUNNING after any transaction. */
  minRunning: number;
  /** Most slots holding two live tasks (moves in flight) after any transaction. */
  maxInFlight: number;
  stop(): void;
}

/**
 * Test helper: follows every committed transaction (not just the states a test step lands on) and
 * records the running count and the moves in flight of the service after each.
 */
export function observe(h: Harness, serviceId: string): Observed {
  const stopper = new AbortController();
  const { snapshot, changes } = h.store.viewAndWatch(stopper.signal, ["task"]);
  const tasks = new Map<string, Task>(snapshot.tasks.byService(serviceId).map((t) => [t.id, t]));
  snapshot.close();
  const observed: Observed = {
    minRunning: runningCount(tasks),
    maxInFlight: inFlight(tasks),
    stop: () => stopper.abort(),
  };
  void (async () => {
    for await (const batch of changes) {
      for (const c of batch.changes) {
        if (c.kind !== "task" || c.object.serviceId !== serviceId) continue;
        if (c.action === "delete") tasks.delete(c.object.id);
        else tasks.set(c.object.id, c.object);
      }
      observed.minRunning = Math.min(observed.minRunning, runningCount(tasks));
      observed.maxInFlight = Math.max(observed.maxInFlight, inFlight(tasks));
    }
  })().catch(() => undefined);
  return observed;
}

function runningCount(tasks: ReadonlyMap<string, Task>): number {
  let n = 0;
  for (const t of tasks.values())
    if (t.status.state === TaskState.Running && t.desiredState === TaskState.Running) n++;
  return n;
}

function inFlight(tasks: ReadonlyMap<string, Task>): number {
  const live = new Map<number, number>();
  for (const t of tasks.values()) {
    if (t.desiredState <= TaskState.Running && t.status.state <= TaskState.Running)
      live.set(t.slot, (live.get(t.slot) ?? 0) + 1);
  }
  return [...live.values()].filter((n) => n > 1).length;
}
