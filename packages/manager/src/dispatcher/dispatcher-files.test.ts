import type { AssignmentsMessage } from "@shoal/rpc";
import { TaskState } from "@shoal/store";
import { makeTask } from "@shoal/store/testing";
import { afterEach, describe, expect, it } from "vitest";
import { DispatcherKit, FakeAgent } from "./dispatcher-test-kit.ts";

let kit: DispatcherKit;
afterEach(async () => {
  await kit.dispatcher.stop();
});

async function setUp() {
  kit = new DispatcherKit();
  await kit.createCluster();
  const [nodeA, nodeB] = await kit.addNodes(2);
  const serviceId = await kit.addService("web");
  kit.dispatcher.start();
  const agent = new FakeAgent(kit, nodeA!);
  agent.openSession();
  await kit.advance(50);
  const secretId = await addObject("secret", "db-password", "s3cret");
  const configId = await addObject("config", "app.conf", "port=80");
  return { nodeA: nodeA!, nodeB: nodeB!, serviceId, agent, secretId, configId };
}

async function addObject(kind: "secret" | "config", name: string, text: string): Promise<string> {
  const id = kit.store.newId();
  const data = Buffer.from(text).toString("base64");
  await kit.store.update((tx) => tx.create(kind, { id, spec: { name, labels: {}, data } }));
  return id;
}

const file = (name: string) => ({ name, uid: "0", gid: "0", mode: 0o444 });

/** A task on `nodeId` mounting the given secrets and configs. */
async function addTask(
  serviceId: string,
  nodeId: string,
  refs: { secrets?: [string, string][]; configs?: [string, string][] },
): Promise<string> {
  const id = kit.store.newId();
  const task = makeTask(id, serviceId, 1);
  const containerSpec = {
    ...task.spec.containerSpec,
    secrets: (refs.secrets ?? []).map(([secretId, secretName]) => ({
      secretId,
      secretName,
      file: file(secretName),
    })),
    configs: (refs.configs ?? []).map(([configId, configName]) => ({
      configId,
      configName,
      file: file(`/${configName}`),
    })),
  };
  await kit.store.update((tx) =>
    tx.create("task", {
      ...task,
      spec: { ...task.spec, containerSpec },
      nodeId,
      desiredState: TaskState.Running,
      status: { state: TaskState.Assigned, message: "assigned", timestampMs: 0 },
    }),
  );
  return id;
}

/** `KIND ACTION name-or-task` per change, in the order sent. */
function changes(messages: AssignmentsMessage[], names: Record<string, string>): string[] {
  return messages.flatMap((m) =>
    m.changes.map((c) => `${m.type} ${c.kind} ${c.action} ${names[c.id] ?? c.id}`),
  );
}

describe("Dispatcher assignments: secrets and configs", () => {
  it("sends a node the secrets and configs its tasks reference, data included, before the tasks", async () => {
    const { nodeA, nodeB, serviceId, agent, secretId, configId } = await setUp();
    await addObject("secret", "unused", "never sent");
    const t1 = await addTask(serviceId, nodeA, { secrets: [[secretId, "db-password"]] });
    const other = await addTask(serviceId, nodeB, { configs: [[configId, "app.conf"]] });
    agent.openAssignments();
    await kit.advance(10);
    const names = { [secretId]: "db-password", [configId]: "app.conf", [t1]: "t1", [other]: "other" };
    expect(changes(agent.assignmentMessages, names)).toEqual([
      "COMPLETE SECRET UPDATE db-password",
      "COMPLETE TASK UPDATE t1",
    ]);
    const secret = JSON.parse(agent.assignmentMessages[0]!.changes[0]!.object_json);
    expect(secret.spec).toEqual({
      name: "db-password",
      labels: {},
      data: Buffer.from("s3cret").toString("base64"),
    });

    // A second task needing the same secret and a config: only the config is new.
    const t2 = await addTask(serviceId, nodeA, {
      secrets: [[secretId, "db-password"]],
      configs: [[configId, "app.conf"]],
    });
    await kit.advance(10);
    names[t2] = "t2";
    expect(changes(agent.assignmentMessages.slice(1), names)).toEqual([
      "INCREMENTAL CONFIG UPDATE app.conf",
      "INCREMENTAL TASK UPDATE t2",
    ]);
    expect(
      Buffer.from(
        JSON.parse(agent.assignmentMessages[1]!.changes[0]!.object_json).spec.data,
        "base64",
      ).toString(),
    ).toBe("port=80");
  });

  it("removes a secret from a node once no task assigned there references it", async () => {
    const { nodeA, nodeB, serviceId, agent, secretId, configId } = await setUp();
    const t1 = await addTask(serviceId, nodeA, { secrets: [[secretId, "db-password"]] });
    const t2 = await addTask(serviceId, nodeA, {
      secrets: [[secretId, "db-password"]],
      configs: [[configId, "app.conf"]],
    });
    agent.openAssignments();
    await kit.advance(10);
    const names = { [secretId]: "db-password", [configId]: "app.conf", [t1]: "t1", [t2]: "t2" };
    await kit.store.update((tx) => tx.delete("task", tx.tasks.get(t1)!));
    await kit.advance(10);
    // t2 still needs both.
    expect(changes(agent.assignmentMessages.slice(1), names)).toEqual(["INCREMENTAL TASK REMOVE t1"]);

    // t2 moves to another node: node A loses both, after the task.
    await kit.store.update((tx) => tx.update("task", { ...tx.tasks.get(t2)!, nodeId: nodeB }));
    await kit.advance(10);
    expect(changes(agent.assignmentMessages.slice(2), names)).toEqual([
      "INCREMENTAL TASK REMOVE t2",
      "INCREMENTAL SECRET REMOVE db-password",
      "INCREMENTAL CONFIG REMOVE app.conf",
    ]);

    // A new stream's complete set holds nothing of them either.
    agent.hangUp();
    await kit.advance(10);
    const again = new FakeAgent(kit, nodeA);
    again.openSession();
    await kit.advance(50);
    again.openAssignments();
    await kit.advance(10);
    expect(changes(again.assignmentMessages, names)).toEqual([]);
  });

  it("sends a config again when its data changes", async () => {
    const { nodeA, serviceId, agent, configId } = await setUp();
    await addTask(serviceId, nodeA, { configs: [[configId, "app.conf"]] });
    agent.openAssignments();
    await kit.advance(10);
    await kit.store.update((tx) => {
      const config = tx.configs.get(configId)!;
      tx.update("config", {
        ...config,
        spec: { ...config.spec, data: Buffer.from("port=81").toString("base64") },
      });
    });
    await kit.advance(10);
    const last = agent.assignmentMessages.at(-1)!;
    expect(last.changes.map((c) => `${c.kind} ${c.action}`)).toEqual(["CONFIG UPDATE"]);
    expect(Buffer.from(JSON.parse(last.changes[0]!.object_json).spec.data, "base64").toString()).toBe(
      "port=81",
    );
  });
});
