import { TaskState } from "@shoal/store";
import { afterEach, describe, expect, it } from "vitest";
import { DispatcherKit, FakeAgent } from "./dispatcher-test-kit.ts";

let kit: DispatcherKit;
afterEach(async () => {
  await kit.dispatcher.stop();
});

async function agents(count: number): Promise<{ agents: FakeAgent[]; serviceId: string }> {
  kit = new DispatcherKit();
  await kit.createCluster();
  const nodes = await kit.addNodes(count);
  const serviceId = await kit.addService();
  kit.dispatcher.start();
  const list = nodes.map((id) => new FakeAgent(kit, id));
  for (const a of list) a.openSession();
  await kit.advance(50);
  return { agents: list, serviceId };
}

describe("Dispatcher task status", () => {
  it("writes reports from many nodes in a few transactions", async () => {
    const { agents: list, serviceId } = await agents(200);
    const tasks: string[] = [];
    for (const a of list) tasks.push(await kit.addTask(serviceId, a.nodeId));
    const before = kit.dispatcher.transactionCount.tasks;
    const calls = list.map((a, i) => a.report([{ taskId: tasks[i]!, state: TaskState.Running }]));
    await kit.advance(50);
    await Promise.all(calls);
    expect(tasks.every((t) => kit.task(t)?.status.state === TaskState.Running)).toBe(true);
    expect(kit.dispatcher.transactionCount.tasks - before).toBe(1);
  });

  it("accepts a task's status only from the node it is assigned to", async () => {
    const { agents: list, serviceId } = await agents(2);
    const [owner, other] = list as [FakeAgent, FakeAgent];
    const taskId = await kit.addTask(serviceId, owner.nodeId);
    const foreign = other.report([{ taskId, state: TaskState.Failed, message: "not mine" }]);
    await kit.advance(50);
    await foreign;
    expect(kit.task(taskId)?.status.state).toBe(TaskState.Assigned);
    expect(kit.errors.map((e) => (e.error as Error).message)).toEqual([
      `node ${other.nodeId} reported a status for task ${taskId}, which is not assigned to it`,
    ]);
    const own = owner.report([{ taskId, state: TaskState.Starting }]);
    await kit.advance(50);
    await own;
    expect(kit.task(taskId)?.status.state).toBe(TaskState.Starting);
  });

  it("ignores moves backwards and states the manager owns", async () => {
    const { agents: list, serviceId } = await agents(1);
    const agent = list[0]!;
    const taskId = await kit.addTask(serviceId, agent.nodeId);
    const run = agent.report([{ taskId, state: TaskState.Running }]);
    await kit.advance(50);
    await run;
    const back = agent.report([{ taskId, state: TaskState.Preparing }]);
    const pending = agent.report([{ taskId, state: TaskState.Pending }]);
    await kit.advance(50);
    await Promise.all([back, pending]);
    expect(kit.task(taskId)?.status.state).toBe(TaskState.Running);
    const done = agent.report([{ taskId, state: TaskState.Complete, message: "finished" }]);
    await kit.advance(50);
    await done;
    expect(kit.task(taskId)?.status).toMatchObject({ state: TaskState.Complete, message: "finished" });
  });

  it("keeps the furthest state when one task is reported twice before a write", async () => {
    const { agents: list, serviceId } = await agents(1);
    const agent = list[0]!;
    const taskId = await kit.addTask(serviceId, agent.nodeId);
    const a = agent.report([{ taskId, state: TaskState.Running }]);
    const b = agent.report([{ taskId, state: TaskState.Starting }]);
    await kit.advance(50);
    await Promise.all([a, b]);
    expect(kit.task(taskId)?.status.state).toBe(TaskState.Running);
  });

  it("refuses a malformed status, naming the update", async () => {
    const { agents: list } = await agents(1);
    const agent = list[0]!;
    await expect(
      kit.dispatcher.updateTaskStatus(
        { session_id: agent.sessionId, updates: [{ task_id: "t", status_json: '{"state":"running"}' }] },
        agent.context(),
      ),
    ).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("updates.0 (task t)"),
    });
  });
});
