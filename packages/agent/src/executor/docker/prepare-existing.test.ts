/** prepare() on a task that already has a container (an agent restarted mid-prepare), real engine. */
import { afterAll, describe, expect, it } from "vitest";
import { resolveAgentLimits } from "../../agent-limits.ts";
import {
  ENGINE_ADDRESS,
  FAST_LIMITS,
  makeAssignment,
  NODE_ID,
  probeEngine,
  removeRunContainers,
  TEST_HOSTNAME,
  taskContainers,
} from "../../test-support/docker-fixture.ts";
import { DockerExecutor } from "./docker-executor.ts";

const engine = await probeEngine();

describe.skipIf(!engine.ok)("DockerExecutor.prepare", () => {
  const executor = new DockerExecutor(ENGINE_ADDRESS, resolveAgentLimits(FAST_LIMITS), { nodeId: NODE_ID });
  afterAll(async () => {
    await executor.close();
    await removeRunContainers();
  });

  it("uses the container a task already has instead of creating a second one", async () => {
    const assignment = makeAssignment();
    const node = { id: NODE_ID, hostname: TEST_HOSTNAME };
    const signal = new AbortController().signal;
    const first = await executor.prepare(assignment, node, signal);
    const again = await executor.prepare(assignment, node, signal);
    expect(again.containerId).toBe(first.containerId);
    expect((await taskContainers(assignment.task.id)).map((c) => c.Id)).toEqual([first.containerId]);
  });
});
