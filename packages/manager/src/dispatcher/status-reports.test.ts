import { TaskState } from "@shoal/store";
import { describe, expect, it } from "vitest";
import { onManagerClock } from "./status-reports.ts";

const report = (timestampMs: number) => ({
  taskId: "t1",
  status: { state: TaskState.Failed, message: "exit code 1", timestampMs },
});

describe("onManagerClock", () => {
  it("keeps each status's age on the agent's clock, counted back from the manager's now", () => {
    // The agent's clock runs an hour behind: only durations on it are used.
    const agentNow = 1_000_000;
    const [moved] = onManagerClock([report(agentNow - 250)], agentNow, 5_000_000);
    expect(moved?.status.timestampMs).toBe(5_000_000 - 250);
  });

  it("never dates a status after the manager's now, and leaves reports without a send time alone", () => {
    expect(onManagerClock([report(2_000)], 1_000, 9_000)[0]?.status.timestampMs).toBe(9_000);
    expect(onManagerClock([report(2_000)], undefined, 9_000)[0]?.status.timestampMs).toBe(2_000);
  });
});
