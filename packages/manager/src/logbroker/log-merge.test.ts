/** The merge's ordering rules, as tables: each step pushes, finishes or takes at a time. */
import { describe, expect, it } from "vitest";
import { LogMerge } from "./log-merge.ts";
import type { LogLineMessage } from "./log-types.ts";

const line = (taskId: string, timestampMs: number): LogLineMessage => ({
  kind: "line",
  taskId,
  nodeId: `node-${taskId}`,
  stream: "stdout",
  timestampMs,
  line: `${taskId}@${timestampMs}`,
});

type Step =
  | { push: [task: string, ts: number]; at?: number }
  | { finish: string }
  | { take: string[]; at?: number };

function run(tasks: string[], limits: { bufferedLinesMax: number; reorderWindowMs: number }, steps: Step[]) {
  const merge = new LogMerge(tasks, limits);
  for (const [i, step] of steps.entries()) {
    if ("push" in step) merge.push(line(...step.push), step.at ?? 0);
    else if ("finish" in step) merge.finish(step.finish);
    else {
      const taken = merge.take(step.at ?? 0, 100).map((m) => (m.kind === "line" ? m.line : m.message));
      expect(taken, `step ${i}`).toEqual(step.take);
    }
    merge.checkInvariants();
  }
  return merge;
}

const NO_FOLLOW = { bufferedLinesMax: 100, reorderWindowMs: Number.POSITIVE_INFINITY };

describe("log merge", () => {
  it("without follow, waits until every open task has a line, then goes in time order", () => {
    const merge = run(["a", "b"], NO_FOLLOW, [
      { push: ["a", 10] },
      { push: ["a", 30] },
      { take: [] }, // b may still have something earlier
      { push: ["b", 20] },
      { take: ["a@10", "b@20"] }, // a@30 waits: b may still send something before 30
      { finish: "b" },
      { take: ["a@30"] },
      { finish: "a" },
      { take: [] },
    ]);
    expect(merge.isDone).toBe(true);
  });

  it("keeps one task's order even when its timestamps go backwards", () => {
    run(["a"], NO_FOLLOW, [
      { push: ["a", 50] },
      { push: ["a", 40] },
      { finish: "a" },
      { take: ["a@50", "a@40"] },
    ]);
  });

  it("a full buffer lets the earliest line go even though a task is silent (memory bound)", () => {
    run(["a", "b"], { bufferedLinesMax: 2, reorderWindowMs: Number.POSITIVE_INFINITY }, [
      { push: ["a", 1] },
      { take: [] },
      { push: ["a", 2] },
      { take: ["a@1"] }, // one out: no longer full
    ]);
  });

  it("with follow, a line waits at most the reorder window for a silent task", () => {
    run(["a", "b"], { bufferedLinesMax: 100, reorderWindowMs: 200 }, [
      { push: ["a", 1_000], at: 1_000 },
      { take: [], at: 1_150 },
      { take: ["a@1000"], at: 1_200 },
      { push: ["b", 900], at: 1_300 }, // late: goes out once its window passed, still in b's order
      { push: ["a", 1_250], at: 1_300 },
      { take: ["b@900"], at: 1_300 }, // a@1250 waits for b again
      { take: ["a@1250"], at: 1_500 },
    ]);
  });

  it("drops lines of finished or unknown tasks", () => {
    const merge = new LogMerge(["a"], NO_FOLLOW);
    merge.finish("a");
    expect(merge.push(line("a", 1), 0)).toBe(false);
    expect(merge.push(line("z", 1), 0)).toBe(false);
    expect(merge.isDone).toBe(true);
  });
});
