import { type Task, TaskState } from "@shoal/store";
import { makeTask } from "@shoal/store/testing";
import { afterEach, describe, expect, it } from "vitest";
import { SimulatedAgent } from "./simulated-agent.ts";
import { type StatusReport, StatusReporter } from "./status-reporter.ts";
import { TimerWheel } from "./timer-wheel.ts";

const wheels: TimerWheel[] = [];
afterEach(() => {
  for (const w of wheels.splice(0)) w.stop();
});

/** An agent whose reports are collected instead of written (the reporter has no store). */
function agent(options: { failureRate?: number } = {}) {
  const reports: StatusReport[] = [];
  const reporter = new StatusReporter(() => undefined);
  reporter.report = (r) => reports.push(r);
  const wheel = new TimerWheel(1);
  wheels.push(wheel);
  const a = new SimulatedAgent(
    "node-1",
    {
      stepLatencyMs: 1,
      jitterMs: 0,
      stopLatencyMs: 1,
      failureRate: options.failureRate ?? 0,
      random: () => 0.5,
      nowMs: Date.now,
    },
    wheel,
    reporter,
  );
  return { a, reports, states: () => reports.map((r) => r.state) };
}

function task(over: Partial<Task> = {}): Task {
  const base = makeTask("t1", "s1", 1);
  return {
    ...base,
    version: 1,
    createdAtMs: 0,
    updatedAtMs: 0,
    nodeId: "node-1",
    status: { state: TaskState.Assigned, message: "", timestampMs: 0 },
    ...over,
  } as Task;
}

const settle = (ms = 40) => new Promise((r) => setTimeout(r, ms));

describe("SimulatedAgent", () => {
  it("moves an assigned task through every state to RUNNING, reporting each", async () => {
    const { a, states } = agent();
    a.handleTask(task());
    await settle();
    expect(states()).toEqual([
      TaskState.Accepted,
      TaskState.Preparing,
      TaskState.Ready,
      TaskState.Starting,
      TaskState.Running,
    ]);
  });

  it("holds a task desired READY at READY until it is released", async () => {
    const { a, states } = agent();
    a.handleTask(task({ desiredState: TaskState.Ready }));
    await settle();
    expect(states().at(-1)).toBe(TaskState.Ready);
    a.handleTask(
      task({
        desiredState: TaskState.Running,
        status: { state: TaskState.Ready, message: "", timestampMs: 0 },
      }),
    );
    await settle();
    expect(states().at(-1)).toBe(TaskState.Running);
  });

  it("shuts a task down when its desired state passes RUNNING", async () => {
    const { a, states } = agent();
    a.handleTask(task());
    await settle();
    a.handleTask(task({ desiredState: TaskState.Shutdown }));
    await settle();
    expect(states().at(-1)).toBe(TaskState.Shutdown);
    expect(a.activeTaskCount).toBe(0);
  });

  it("fails tasks at start by the failure rate, and ends them on command", async () => {
    const failing = agent({ failureRate: 1 });
    failing.a.handleTask(task());
    await settle();
    expect(failing.reports.at(-1)).toMatchObject({ state: TaskState.Failed, exitCode: 1 });
    const ok = agent();
    ok.a.handleTask(task());
    await settle();
    expect(ok.a.exit("t1", 0)).toBe(true);
    expect(ok.reports.at(-1)).toMatchObject({ state: TaskState.Complete, exitCode: 0 });
    expect(ok.a.exit("t1", 1)).toBe(false);
  });

  it("ignores tasks not yet assigned or already ended", async () => {
    const { a, reports } = agent();
    a.handleTask(task({ status: { state: TaskState.Pending, message: "", timestampMs: 0 } }));
    a.handleTask(task({ id: "t2", status: { state: TaskState.Failed, message: "", timestampMs: 0 } }));
    await settle();
    expect(reports).toEqual([]);
  });
});
