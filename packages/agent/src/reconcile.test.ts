import { TaskState } from "@shoal/store";
import { afterAll, describe, expect, it } from "vitest";
import { Agent } from "./agent.ts";
import {
  FAST_LIMITS,
  makeAssignment,
  NODE_ID,
  probeEngine,
  RUN_ID,
  removeRunContainers,
  startAgent,
  taskContainers,
} from "./test-support/docker-fixture.ts";
import { FakeSession } from "./test-support/fake-session.ts";

const engine = await probeEngine();
if (!engine.ok) it.skip(`reconciliation on a real engine skipped: ${engine.reason}`, () => {});

describe.skipIf(!engine.ok)("reconciliation on a real Docker Engine", () => {
  const agents: Agent[] = [];
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await removeRunContainers();
  });

  it("after an agent restart, adopts the container of a task still assigned and removes the others", async () => {
    const session = new FakeSession();
    const first = await startAgent(session);
    agents.push(first);
    const kept = makeAssignment({ slot: 1 });
    const dropped = makeAssignment({ slot: 2 });
    session.assign(kept);
    session.assign(dropped);
    const running = await session.waitForState(kept.task.id, TaskState.Running);
    await session.waitForState(dropped.task.id, TaskState.Running);
    await first.stop();
    // Stopping the agent leaves its containers running.
    expect((await taskContainers(kept.task.id))[0]?.State).toBe("running");

    // While it was away the manager took one task off this node.
    session.tasks.delete(dropped.task.id);
    const reportsBefore = session.reports.length;
    const second = await startAgent(session);
    agents.push(second);
    await expect
      .poll(async () => (await taskContainers(dropped.task.id)).length, { timeout: 10_000 })
      .toBe(0);
    await second.statusesFlushed();
    const adopted = session.reports.slice(reportsBefore).find((r) => r.taskId === kept.task.id);
    expect(adopted?.status.state).toBe(TaskState.Running);
    expect(adopted?.status.containerId).toBe(running.containerId);
    const containers = await taskContainers(kept.task.id);
    expect(containers.map((c) => c.Id)).toEqual([running.containerId]);
    expect(second.taskStatus(kept.task.id)?.state).toBe(TaskState.Running);
    // Adopted means driven: a shutdown now reaches the adopted container.
    session.setDesiredState(kept.task.id, TaskState.Remove);
    await expect.poll(async () => (await taskContainers(kept.task.id)).length, { timeout: 10_000 }).toBe(0);
    expect(session.latest(kept.task.id)?.state).toBe(TaskState.Shutdown);
  });

  it("describes the node from the engine's info", async () => {
    const session = new FakeSession();
    const agent = new Agent({ nodeId: NODE_ID, source: session, reporter: session, limits: FAST_LIMITS });
    agents.push(agent);
    const description = await agent.describeNode();
    expect(description.hostname).not.toBe("");
    expect(description.platform.os).toBe("linux");
    expect(description.resources.nanoCpus).toBeGreaterThanOrEqual(1e9);
    expect(description.resources.memoryBytes).toBeGreaterThan(0);
    expect(description.engine.version).toMatch(/^\d+\.\d+/);
  });
});

describe("an agent whose engine is down", () => {
  it("rejects tasks saying the engine cannot be reached, and cannot describe the node", async () => {
    const address = `unix:///tmp/shoal-no-engine-${RUN_ID}.sock`;
    const session = new FakeSession();
    const agent = await startAgent(session, address);
    try {
      const a = makeAssignment();
      session.assign(a);
      const rejected = await session.waitForState(a.task.id, TaskState.Rejected, 5_000);
      expect(rejected.err).toBe(`cannot reach the Docker Engine at ${address}: is dockerd running?`);
      await expect(agent.describeNode()).rejects.toThrow(`cannot reach the Docker Engine at ${address}`);
    } finally {
      await agent.stop();
    }
  });
});
