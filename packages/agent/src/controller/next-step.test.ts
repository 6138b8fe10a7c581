import { TaskState as S } from "@shoal/store";
import { describe, expect, it } from "vitest";
import { type ControllerStep, isForward, nextStep } from "./next-step.ts";

describe("nextStep: what a controller does from (observed, desired)", () => {
  const cases: [S, S, boolean, ControllerStep][] = [
    [S.Assigned, S.Running, false, "accept"],
    [S.Accepted, S.Running, false, "prepare"],
    [S.Preparing, S.Running, false, "prepare"],
    [S.Ready, S.Running, true, "start"],
    [S.Ready, S.Ready, true, "idle"],
    [S.Starting, S.Running, true, "start"],
    [S.Running, S.Running, true, "wait"],
    [S.Complete, S.Running, true, "idle"],
    [S.Failed, S.Running, true, "idle"],
    [S.Assigned, S.Shutdown, false, "shutdown"],
    [S.Running, S.Shutdown, true, "shutdown"],
    [S.Running, S.Remove, true, "shutdown"],
    [S.Shutdown, S.Shutdown, true, "idle"],
    [S.Shutdown, S.Remove, true, "remove"],
    [S.Complete, S.Remove, true, "remove"],
    [S.Shutdown, S.Remove, false, "idle"],
    [S.Rejected, S.Remove, false, "idle"],
  ];
  it.each(cases)("observed %s, desired %s, container %s → %s", (observed, desired, has, step) => {
    expect(nextStep(observed, desired, has)).toBe(step);
  });

  it("never lets a status go backwards", () => {
    expect(isForward(S.Running, S.Starting)).toBe(false);
    expect(isForward(S.Running, S.Running)).toBe(false);
    expect(isForward(S.Running, S.Failed)).toBe(true);
  });
});
