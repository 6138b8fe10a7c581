import { TaskState } from "@shoal/store";
import { afterAll, describe, expect, it } from "vitest";
import { Agent } from "../agent.ts";
import {
  docker,
  ENGINE_ADDRESS,
  FAST_LIMITS,
  makeAssignment,
  NODE_ID,
  probeEngine,
  removeRunContainers,
  TEST_HOSTNAME,
} from "../test-support/docker-fixture.ts";
import { FakeSession } from "../test-support/fake-session.ts";

const engine = await probeEngine();
if (!engine.ok) it.skip(`beforeTaskStop on a real engine skipped: ${engine.reason}`, () => {});

describe.skipIf(!engine.ok)("beforeTaskStop (the routing mesh's hook)", () => {
  afterAll(() => removeRunContainers());

  it("runs while the container is still running, before it gets the stop signal", async () => {
    const session = new FakeSession();
    const seen: Array<{ taskId: string; running: boolean }> = [];
    const agent = new Agent({
      nodeId: NODE_ID,
      source: session,
      reporter: session,
      engineAddress: ENGINE_ADDRESS,
      hostname: TEST_HOSTNAME,
      limits: FAST_LIMITS,
      beforeTaskStop: async (task) => {
        const id = agent.taskStatus(task.id)?.containerId;
        const info = id ? await docker.getContainer(id).inspect() : undefined;
        seen.push({ taskId: task.id, running: info?.State.Running === true });
      },
    });
    await agent.start();
    try {
      const a = makeAssignment();
      session.assign(a);
      await session.waitForState(a.task.id, TaskState.Running);
      session.setDesiredState(a.task.id, TaskState.Shutdown);
      await session.waitForState(a.task.id, TaskState.Shutdown);
      expect(seen).toEqual([{ taskId: a.task.id, running: true }]);
    } finally {
      await agent.stop();
    }
  });
});
