import { TaskState } from "@shoal/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "./agent.ts";
import {
  docker,
  makeAssignment,
  NODE_ID,
  probeEngine,
  RUN_ID,
  removeRunContainers,
  startAgent,
  TEST_HOSTNAME,
  taskContainers,
} from "./test-support/docker-fixture.ts";
import { FakeSession } from "./test-support/fake-session.ts";

const engine = await probeEngine();
if (!engine.ok) it.skip(`task lifecycle on a real engine skipped: ${engine.reason}`, () => {});

describe.skipIf(!engine.ok)("task lifecycle on a real Docker Engine", () => {
  const session = new FakeSession();
  let agent: Agent;

  beforeAll(async () => {
    agent = await startAgent(session);
  });
  afterAll(async () => {
    await agent?.stop();
    await removeRunContainers();
  });

  it("runs a task to RUNNING, then COMPLETE with its exit code, moving only forward", async () => {
    const a = makeAssignment({ args: ["sh", "-c", "sleep 1; exit 0"] });
    session.assign(a);
    const running = await session.waitForState(a.task.id, TaskState.Running);
    expect(running.containerId).toMatch(/^[0-9a-f]{64}$/);
    const done = await session.waitForState(a.task.id, TaskState.Complete);
    expect(done.exitCode).toBe(0);
    const states = session.statesOf(a.task.id);
    expect(states).toEqual([...states].sort((x, y) => x - y));
    expect(new Set(states).size).toBe(states.length);
  });

  it("fails a task whose command exits non-zero, with the exit code", async () => {
    const a = makeAssignment({ args: ["sh", "-c", "exit 3"] });
    session.assign(a);
    const failed = await session.waitForState(a.task.id, TaskState.Failed);
    expect(failed.exitCode).toBe(3);
    expect(failed.err).toBe("task: non-zero exit (3)");
  });

  it("rejects a task whose image is absent and cannot be pulled, saying so", async () => {
    const image = `shoal-test/absent-${RUN_ID}:1`;
    const a = makeAssignment({ image });
    session.assign(a);
    const rejected = await session.waitForState(a.task.id, TaskState.Rejected);
    expect(rejected.err).toContain(`image ${image} not found on node ${TEST_HOSTNAME}`);
    expect(await taskContainers(a.task.id)).toHaveLength(0);
  });

  it("resolves task templates in env and hostname, labels and names the container as swarm does", async () => {
    const a = makeAssignment({
      slot: 4,
      env: [
        "SVC={{.Service.Name}}/{{.Service.ID}}",
        "NODE={{.Node.ID}}@{{.Node.Hostname}}",
        "TASK={{.Task.Name}}#{{.Task.Slot}}#{{.Task.ID}}",
      ],
      hostname: "{{.Service.Name}}-{{.Task.Slot}}",
      serviceLabels: { "com.docker.stack.namespace": "shop" },
    });
    session.assign(a);
    await session.waitForState(a.task.id, TaskState.Running);
    const [found] = await taskContainers(a.task.id);
    const info = await docker.getContainer(found?.Id ?? "").inspect();
    const { task, service } = a;
    const name = `${service.name}.4.${task.id}`;
    expect(info.Name).toBe(`/${name}`);
    expect(info.Config.Env).toEqual(
      expect.arrayContaining([
        `SVC=${service.name}/${service.id}`,
        `NODE=${NODE_ID}@${TEST_HOSTNAME}`,
        `TASK=${name}#4#${task.id}`,
      ]),
    );
    expect(info.Config.Hostname).toBe(`${service.name}-4`);
    expect(info.Config.Labels).toMatchObject({
      "com.shoal.task.id": task.id,
      "com.shoal.task.name": name,
      "com.shoal.task.slot": "4",
      "com.shoal.service.id": service.id,
      "com.shoal.service.name": service.name,
      "com.shoal.node.id": NODE_ID,
      "com.shoal.stack.namespace": "shop",
    });
    expect(info.HostConfig.RestartPolicy?.Name).toBe("no");
  });

  it("reports RUNNING only once the healthcheck passes", async () => {
    const a = makeAssignment({
      args: ["sh", "-c", "sleep 1.5; touch /tmp/ready; sleep 60"],
      healthcheck: {
        test: ["CMD-SHELL", "test -f /tmp/ready"],
        intervalMs: 200,
        timeoutMs: 1_000,
        retries: 3,
        startPeriodMs: 10_000,
      },
    });
    session.assign(a);
    const starting = await session.waitForState(a.task.id, TaskState.Starting);
    const running = await session.waitForState(a.task.id, TaskState.Running);
    expect(running.timestampMs - starting.timestampMs).toBeGreaterThanOrEqual(1_200);
    const info = await docker.getContainer(running.containerId ?? "").inspect();
    expect(info.State.Health?.Status).toBe("healthy");
  });

  it("stops a task that ignores SIGTERM within its grace period, then removes it when asked", async () => {
    const a = makeAssignment({
      args: ["sh", "-c", "trap '' TERM; sleep 60 & wait"],
      stopGracePeriodMs: 1_000,
    });
    session.assign(a);
    await session.waitForState(a.task.id, TaskState.Running);
    const askedAt = Date.now();
    session.setDesiredState(a.task.id, TaskState.Shutdown);
    const shutdown = await session.waitForState(a.task.id, TaskState.Shutdown);
    const tookMs = Date.now() - askedAt;
    expect(tookMs).toBeGreaterThanOrEqual(900);
    expect(tookMs).toBeLessThan(6_000);
    expect(shutdown.exitCode).toBe(137);
    expect(await taskContainers(a.task.id)).toHaveLength(1);
    session.setDesiredState(a.task.id, TaskState.Remove);
    await expect.poll(async () => (await taskContainers(a.task.id)).length, { timeout: 5_000 }).toBe(0);
  });

  it("fails a running task whose container is killed from outside (engine events, no polling)", async () => {
    const a = makeAssignment({ args: ["sleep", "60"] });
    session.assign(a);
    const running = await session.waitForState(a.task.id, TaskState.Running);
    await docker.getContainer(running.containerId ?? "").kill();
    const failed = await session.waitForState(a.task.id, TaskState.Failed);
    expect(failed.exitCode).toBe(137);
    expect(failed.err).toBe("task: non-zero exit (137)");
  });
});
