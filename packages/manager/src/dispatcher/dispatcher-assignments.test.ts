import { TaskState } from "@shoal/store";
import { afterEach, describe, expect, it } from "vitest";
import { DispatcherKit, FakeAgent } from "./dispatcher-test-kit.ts";

let kit: DispatcherKit;
afterEach(async () => {
  await kit.dispatcher.stop();
});

async function setUp(limits = {}) {
  kit = new DispatcherKit(limits);
  await kit.createCluster();
  const [nodeA, nodeB] = await kit.addNodes(2);
  const serviceId = await kit.addService("web");
  kit.dispatcher.start();
  const agent = new FakeAgent(kit, nodeA!);
  agent.openSession();
  await kit.advance(50);
  return { nodeA: nodeA!, nodeB: nodeB!, serviceId, agent };
}

const summary = (m: {
  type: string;
  applies_to: number;
  results_in: number;
  changes: { action: string; id: string }[];
}) =>
  `${m.type} ${m.applies_to}→${m.results_in} ${m.changes.map((c) => `${c.action}:${c.id.slice(0, 4)}`).join(",")}`;

describe("Dispatcher assignments", () => {
  it("sends the complete set first, then numbered incremental changes", async () => {
    const { nodeA, nodeB, serviceId, agent } = await setUp();
    const t1 = await kit.addTask(serviceId, nodeA, 1);
    await kit.addTask(serviceId, nodeB, 2); // another node's: never sent here
    await kit.addTask(serviceId, nodeA, 3, TaskState.Pending); // not assigned yet
    agent.openAssignments();
    await kit.advance(10);
    expect(agent.assignmentMessages.map(summary)).toEqual([`COMPLETE 0→1 UPDATE:${t1.slice(0, 4)}`]);
    const payload = JSON.parse(agent.assignmentMessages[0]!.changes[0]!.object_json);
    expect(payload.task.id).toBe(t1);
    expect(payload.service).toEqual({ id: serviceId, name: "web", labels: { tier: "front" } });

    const t4 = await kit.addTask(serviceId, nodeA, 4);
    await kit.advance(10);
    await kit.store.update((tx) => {
      const task = tx.tasks.get(t1)!;
      tx.update("task", { ...task, desiredState: TaskState.Shutdown });
    });
    await kit.advance(10);
    await kit.store.update((tx) => tx.delete("task", tx.tasks.get(t4)!));
    await kit.advance(10);
    expect(agent.assignmentMessages.map(summary)).toEqual([
      `COMPLETE 0→1 UPDATE:${t1.slice(0, 4)}`,
      `INCREMENTAL 1→2 UPDATE:${t4.slice(0, 4)}`,
      `INCREMENTAL 2→3 UPDATE:${t1.slice(0, 4)}`,
      `INCREMENTAL 3→4 REMOVE:${t4.slice(0, 4)}`,
    ]);
    expect(JSON.parse(agent.assignmentMessages[2]!.changes[0]!.object_json).task.desiredState).toBe(
      TaskState.Shutdown,
    );
  });

  it("does not echo the agent's own status reports back", async () => {
    const { nodeA, serviceId, agent } = await setUp();
    const t1 = await kit.addTask(serviceId, nodeA);
    agent.openAssignments();
    await kit.advance(10);
    const report = agent.report([{ taskId: t1, state: TaskState.Running }]);
    await kit.advance(50);
    await report;
    expect(kit.task(t1)?.status.state).toBe(TaskState.Running);
    expect(agent.assignmentMessages).toHaveLength(1);
  });

  it("sends a task again when its service's labels change", async () => {
    const { nodeA, serviceId, agent } = await setUp();
    const t1 = await kit.addTask(serviceId, nodeA);
    agent.openAssignments();
    await kit.advance(10);
    await kit.store.update((tx) => {
      const s = tx.services.get(serviceId)!;
      tx.update("service", { ...s, spec: { ...s.spec, labels: { tier: "back" } } });
    });
    await kit.advance(10);
    const last = agent.assignmentMessages.at(-1)!;
    expect(summary(last)).toBe(`INCREMENTAL 1→2 UPDATE:${t1.slice(0, 4)}`);
    expect(JSON.parse(last.changes[0]!.object_json).service.labels).toEqual({ tier: "back" });
  });

  it("splits a large complete set and gathers a burst of changes into few messages", async () => {
    const { nodeA, serviceId, agent } = await setUp({ assignmentChangesMax: 100 });
    await kit.store.batch((tx) => {
      for (let i = 0; i < 250; i++) {
        tx.create("task", {
          ...makeAssigned(kit.store.newId(), serviceId, nodeA, i + 1),
        });
      }
    });
    agent.openAssignments();
    await kit.advance(10);
    expect(agent.assignmentMessages.map((m) => [m.type, m.changes.length])).toEqual([
      ["COMPLETE", 100],
      ["INCREMENTAL", 100],
      ["INCREMENTAL", 50],
    ]);
    await kit.store.batch((tx) => {
      for (const task of tx.tasks.byNode(nodeA))
        tx.update("task", { ...task, desiredState: TaskState.Shutdown });
    });
    await kit.advance(10);
    expect(agent.assignmentMessages.slice(3).map((m) => m.changes.length)).toEqual([100, 100, 50]);
    const sequence = agent.assignmentMessages.map((m) => [m.applies_to, m.results_in]);
    expect(sequence).toEqual([0, 1, 2, 3, 4, 5].map((n) => [n, n + 1]));
  });

  it("ends a stream that falls too far behind, so the agent resyncs", async () => {
    const { nodeA, serviceId, agent } = await setUp({ assignmentQueueMax: 10 });
    let block: () => void = () => {};
    const blocked = new Promise<void>((r) => (block = r));
    const messages: string[] = [];
    const ended = kit.dispatcher
      .assignments({ session_id: agent.sessionId }, agent.context(), async (m) => {
        messages.push(m.type);
        await blocked; // the agent does not read
      })
      .catch((err: { code: string }) => err.code);
    await kit.advance(10);
    await kit.store.batch((tx) => {
      for (let i = 0; i < 20; i++)
        tx.create("task", makeAssigned(kit.store.newId(), serviceId, nodeA, i + 1));
    });
    await kit.advance(10);
    block();
    expect(await ended).toBe("ABORTED");
  });

  it("refuses a stream for a session that is not the node's current one", async () => {
    const { agent } = await setUp();
    await expect(
      kit.dispatcher.assignments({ session_id: "stale" }, agent.context(), async () => {}),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

function makeAssigned(id: string, serviceId: string, nodeId: string, slot: number) {
  const base = kit.store.view((v) => v.services.get(serviceId))!.spec.taskTemplate;
  return {
    id,
    serviceId,
    slot,
    nodeId,
    spec: base,
    serviceVersion: 1,
    desiredState: TaskState.Running,
    status: { state: TaskState.Assigned, message: "assigned", timestampMs: 0 },
    networksAttachments: [],
    restartHistory: [],
  };
}
