import { TaskState } from "@shoal/store";
import { describe, expect, it } from "vitest";
import { DEFAULT_AGENT_LIMITS } from "./agent-limits.ts";
import type { StatusReporter, TaskStatusUpdate } from "./session-interface.ts";
import { StatusBatcher } from "./status-batcher.ts";

const limits = {
  ...DEFAULT_AGENT_LIMITS,
  statusBatchGapMs: 5,
  statusBatchDelayMsMax: 50,
  statusBatchMax: 3,
  statusRetryDelayMsMin: 5,
};
const status = (state: TaskState) => ({ state, message: "", timestampMs: 0 });

describe("StatusBatcher", () => {
  it("sends only the latest status per task, at most statusBatchMax per call", async () => {
    const calls: TaskStatusUpdate[][] = [];
    const reporter: StatusReporter = { reportTaskStatuses: async (u) => void calls.push([...u]) };
    const batcher = new StatusBatcher(reporter, limits);
    batcher.start();
    batcher.enqueue("a", status(TaskState.Accepted));
    batcher.enqueue("a", status(TaskState.Preparing));
    for (const id of ["b", "c", "d"]) batcher.enqueue(id, status(TaskState.Accepted));
    await batcher.flushed();
    await batcher.stop();
    expect(calls.map((c) => c.length)).toEqual([3, 1]);
    expect(calls.flat().find((u) => u.taskId === "a")?.status.state).toBe(TaskState.Preparing);
  });

  it("retries a failed batch, merged with newer updates", async () => {
    const calls: TaskStatusUpdate[][] = [];
    let failures = 2;
    const reporter: StatusReporter = {
      reportTaskStatuses: async (u) => {
        calls.push([...u]);
        if (failures-- > 0) throw new Error("session down");
      },
    };
    const batcher = new StatusBatcher(reporter, limits);
    batcher.start();
    batcher.enqueue("a", status(TaskState.Running));
    await new Promise((r) => setTimeout(r, 8));
    batcher.enqueue("a", status(TaskState.Complete));
    await batcher.flushed();
    await batcher.stop();
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.at(-1)).toEqual([{ taskId: "a", status: status(TaskState.Complete) }]);
  });
});
