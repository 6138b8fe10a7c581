import { type Node, type Store, type Task, TaskState } from "@shoal/store";
import { makeNode, makeTask, makeTaskSpec } from "@shoal/store/testing";
import { type Decisions, SchedulerState } from "./scheduler-state.ts";

/** Helpers for the scheduler's tests: ids, nodes, pending tasks, one scheduling pass. */

export function testId(kind: "n" | "s" | "t", i: number): string {
  return `${kind}${String(i).padStart(24, "0")}`;
}

type NewNode = Parameters<typeof makeNode> extends unknown[] ? ReturnType<typeof makeNode> : never;
type NewTask = ReturnType<typeof makeTask>;

export function node(i: number, patch: (n: NewNode) => void = () => {}): NewNode {
  const n = makeNode(testId("n", i), `host-${i}`);
  const copy = structuredClone(n) as NewNode;
  patch(copy);
  return copy;
}

export function pendingTask(i: number, service: number, patch: (t: NewTask) => void = () => {}): NewTask {
  const t = structuredClone(makeTask(testId("t", i), testId("s", service), i, makeTaskSpec())) as NewTask;
  t.status = { state: TaskState.Pending, message: "pending task scheduling", timestampMs: 0 };
  patch(t);
  return t;
}

export async function put(store: Store, nodes: readonly NewNode[], tasks: readonly NewTask[]): Promise<void> {
  const result = await store.batch((tx) => {
    for (const n of nodes) tx.create("node", n);
    for (const t of tasks) tx.create("task", t);
  });
  if (result.errors.length > 0) throw result.errors[0];
}

export function model(store: Store, nowMs = 1_000): SchedulerState {
  return store.view((v) => SchedulerState.fromView(v, nowMs));
}

export function schedule(store: Store, nowMs = 1_000): { state: SchedulerState; decisions: Decisions } {
  const state = model(store, nowMs);
  const decisions = state.schedule(nowMs);
  state.checkInvariants();
  return { state, decisions };
}

/** Node index → how many of the decisions went there. */
export function perNode(decisions: Decisions): Map<string, number> {
  const out = new Map<string, number>();
  for (const nodeId of decisions.assignments.values()) out.set(nodeId, (out.get(nodeId) ?? 0) + 1);
  return out;
}

export type { Node, Task };
