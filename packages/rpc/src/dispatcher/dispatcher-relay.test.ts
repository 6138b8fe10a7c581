/** A follower relaying an agent's dispatcher calls to the leader, over real gRPC and mutual TLS. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RpcError } from "../errors.ts";
import { RpcServer } from "../server/rpc-server.ts";
import { createTestSwarm, nodeMaterial, recordingLogger, type TestSwarm } from "../testing/test-pki.ts";
import { TlsMaterialSource } from "../tls/tls-material.ts";
import { DispatcherClient } from "./dispatcher-client.ts";
import { DispatcherRelay } from "./dispatcher-relay.ts";
import { addDispatcherService } from "./dispatcher-service.ts";

let swarm: TestSwarm;
let leader: RpcServer;
let follower: RpcServer;
let relay: DispatcherRelay;
let worker: TlsMaterialSource;
const seenByLeader: string[] = [];

async function server(nodeId: string): Promise<RpcServer> {
  return new RpcServer({
    listen: "127.0.0.1:0",
    tls: new TlsMaterialSource(await nodeMaterial(swarm, nodeId, "swarm-manager")),
    isRemoved: () => false,
    clusterId: swarm.clusterId,
    logger: recordingLogger(),
  });
}

beforeAll(async () => {
  swarm = await createTestSwarm();
  worker = new TlsMaterialSource(await nodeMaterial(swarm, "worker1", "swarm-worker"));
  leader = await server("manager1");
  addDispatcherService(leader, {
    session: async (request, context, send) => {
      seenByLeader.push(`session ${context.peer.nodeId} ${request.description?.hostname}`);
      await send({ session_id: `s-${context.peer.nodeId}`, node_json: "", managers: [], root_ca_pem: "" });
      await new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
    },
    heartbeat: async (_request, context) => {
      seenByLeader.push(`heartbeat ${context.peer.nodeId}/${context.peer.role}`);
      return { period_ms: 700 };
    },
    assignments: async () => {},
    updateTaskStatus: async (request, context) => {
      seenByLeader.push(`status ${context.peer.nodeId} ${request.updates.map((u) => u.task_id).join(",")}`);
    },
    subscribeLogs: async (_request, context, send) => {
      await send({
        subscription_id: "sub1",
        task_ids: ["t1"],
        follow: false,
        since_ms: 0,
        tail: -1,
        close: false,
      });
      seenByLeader.push(`logs subscription for ${context.peer.nodeId}`);
    },
    publishLogs: async (messages, context) => {
      for await (const m of messages) {
        const text = m.lines.map((l) => Buffer.from(l.data).toString()).join("");
        seenByLeader.push(`logs from ${context.peer.nodeId}: ${text}${m.close ? " (closed)" : ""}`);
      }
    },
  });
  await leader.start();
  follower = await server("manager2");
  relay = new DispatcherRelay({
    tls: new TlsMaterialSource(await nodeMaterial(swarm, "manager2", "swarm-manager")),
    clusterId: swarm.clusterId,
    leaderAddr: async () => leader.address,
  });
  addDispatcherService(follower, relay);
  await follower.start();
});
afterAll(async () => {
  relay.close();
  await follower.stop();
  await leader.stop();
});

const DESCRIPTION = {
  hostname: "w1",
  os: "linux",
  architecture: "x86_64",
  nano_cpus: 1,
  memory_bytes: 1,
  engine_version: "1",
  engine_labels: {},
};

describe("DispatcherRelay", () => {
  it("relays log subscriptions to the agent and the agent's log lines to the leader", async () => {
    const client = new DispatcherClient(follower.address, worker, { clusterId: swarm.clusterId });
    const subscriptions = [];
    for await (const m of client.subscribeLogs("s-worker1")) subscriptions.push(m.subscription_id);
    expect(subscriptions).toEqual(["sub1"]);
    const publish = client.publishLogs();
    const line = { task_id: "t1", stream: "stdout" as const, timestamp_ms: 1, data: Buffer.from("hello") };
    await publish.send({
      session_id: "s-worker1",
      subscription_id: "sub1",
      lines: [line],
      close: true,
      finished_task_ids: ["t1"],
      warnings: [],
    });
    await publish.finish();
    client.close();
    expect(seenByLeader.splice(0)).toEqual([
      "logs subscription for worker1",
      "logs from worker1: hello (closed)",
    ]);
  });

  it("relays the session, heartbeats and status reports as the agent, and ends the session when leadership moves", async () => {
    const client = new DispatcherClient(follower.address, worker, { clusterId: swarm.clusterId });
    const session = client.session({ description: DESCRIPTION });
    const first = await session.next();
    expect(first.value?.session_id).toBe("s-worker1");
    expect(await client.heartbeat("s-worker1")).toEqual({ period_ms: 700 });
    await client.updateTaskStatus("s-worker1", [{ task_id: "t1", status_json: "{}" }]);
    expect(seenByLeader).toEqual([
      "session worker1 w1",
      "heartbeat worker1/swarm-worker",
      "status worker1 t1",
    ]);

    relay.leaderMoved();
    const ended = await session.next().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(ended).toBeInstanceOf(RpcError);
    expect(ended).toMatchObject({ code: "UNAVAILABLE", message: expect.stringMatching(/leadership moved/) });
    client.close();
  });
});
