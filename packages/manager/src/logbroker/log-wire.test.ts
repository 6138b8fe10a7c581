/**
 * A follower's subscription over the wire: the control service's SubscribeLogs on a real gRPC
 * server with mutual TLS, served by a broker (logsForwardHandler), read by a manager client.
 */
import {
  addControlService,
  ControlForwardingClient,
  type PublishLogsRequest,
  RpcServer,
  type SubscribeLogsMessage,
  TlsMaterialSource,
} from "@shoal/rpc";
import { createTestSwarm, nodeMaterial, recordingLogger } from "@shoal/rpc/testing";
import { createTestStore, makeNode, makeService, makeTask } from "@shoal/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../loop/clock.ts";
import { LogBroker } from "./log-broker.ts";
import { logRequestToWire, logsForwardHandler, logsFromWire } from "./log-wire.ts";

const id = (short: string) => short.padEnd(25, "0");
let server: RpcServer;
let client: ControlForwardingClient;
let broker: LogBroker;

beforeAll(async () => {
  const swarm = await createTestSwarm();
  const { store } = createTestStore({ seed: 5 });
  await store.update((tx) => {
    tx.create("node", makeNode(id("n1"), "host-1"));
    tx.create("service", makeService(id("s1"), "web"));
    tx.create("task", { ...makeTask(id("t1"), id("s1"), 1), nodeId: id("n1") });
  });
  broker = new LogBroker(store, { clock: systemClock, newId: () => "sub1" });
  server = new RpcServer({
    listen: "127.0.0.1:0",
    tls: new TlsMaterialSource(await nodeMaterial(swarm, "leader", "swarm-manager")),
    isRemoved: () => false,
    clusterId: swarm.clusterId,
    logger: recordingLogger(),
  });
  addControlService(
    server,
    async () => ({ ok: true, json: "null" }),
    logsForwardHandler(() => broker),
  );
  await server.start();
  const follower = new TlsMaterialSource(await nodeMaterial(swarm, "follower", "swarm-manager"));
  client = new ControlForwardingClient(server.address, follower, { clusterId: swarm.clusterId });
});

afterAll(async () => {
  client?.close();
  broker?.stop();
  await server?.stop(50);
});

describe("log subscriptions forwarded to the leader", () => {
  it("carries lines and warnings both ways and completes when the leader's subscription does", async () => {
    const agent = new AbortController();
    const sent: SubscribeLogsMessage[] = [];
    const serving = broker.serveNode(id("n1"), agent.signal, async (m) => {
      sent.push(m);
    });
    const request = logRequestToWire({ serviceIds: [id("s1")], taskIds: [], follow: false, tail: 5 });
    const stream = logsFromWire(client.subscribeLogs(request));
    const reading = (async () => {
      const out = [];
      for await (const batch of stream) out.push(...batch);
      return out;
    })();
    while (sent.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(sent[0]).toMatchObject({ subscription_id: "sub1", task_ids: [id("t1")], tail: 5 });
    const publish: PublishLogsRequest = {
      session_id: "s",
      subscription_id: "sub1",
      lines: [{ task_id: id("t1"), stream: "stderr", timestamp_ms: 42, data: Buffer.from("héllo") }],
      finished_task_ids: [],
      warnings: ["one task had no container"],
      close: true,
    };
    await broker.publish(
      id("n1"),
      (async function* () {
        yield publish;
      })(),
    );
    expect(await reading).toEqual([
      // Warnings go out as soon as they arrive, ahead of lines waiting in the merge.
      { kind: "warning", nodeId: id("n1"), message: "one task had no container" },
      { kind: "line", taskId: id("t1"), nodeId: id("n1"), stream: "stderr", timestampMs: 42, line: "héllo" },
    ]);
    agent.abort();
    await serving;
  });
});
