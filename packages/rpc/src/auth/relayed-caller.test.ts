/** Calls a manager relays for another node, over real gRPC and mutual TLS on 127.0.0.1. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { unaryCall } from "../client/call-helpers.ts";
import { addControlService } from "../control/control-forwarding.ts";
import { DispatcherClient } from "../dispatcher/dispatcher-client.ts";
import { addDispatcherService } from "../dispatcher/dispatcher-service.ts";
import { shoalServices } from "../proto/load-protos.ts";
import { RpcServer } from "../server/rpc-server.ts";
import { createTestSwarm, nodeMaterial, recordingLogger, type TestSwarm } from "../testing/test-pki.ts";
import { managerChannelOptions, mutualTlsChannelCredentials } from "../tls/channel-credentials.ts";
import { TlsMaterialSource } from "../tls/tls-material.ts";
import { RELAYED_CALLER_METADATA_KEY, type RelayedCaller, relayedCallerMetadata } from "./relayed-caller.ts";

let swarm: TestSwarm;
let server: RpcServer;
let manager: TlsMaterialSource;
let worker: TlsMaterialSource;
const removed = new Set(["worker7"]);
const heartbeats: string[] = [];

beforeAll(async () => {
  swarm = await createTestSwarm();
  manager = new TlsMaterialSource(await nodeMaterial(swarm, "manager2", "swarm-manager"));
  worker = new TlsMaterialSource(await nodeMaterial(swarm, "worker1", "swarm-worker"));
  server = new RpcServer({
    listen: "127.0.0.1:0",
    tls: new TlsMaterialSource(await nodeMaterial(swarm, "manager1", "swarm-manager")),
    isRemoved: (id) => removed.has(id),
    clusterId: swarm.clusterId,
    logger: recordingLogger(),
  });
  addDispatcherService(server, {
    session: async () => {},
    heartbeat: async (_request, context) => {
      heartbeats.push(`${context.peer.nodeId}/${context.peer.role}@${context.remote}`);
      return { period_ms: 1_000 };
    },
    assignments: async () => {},
    updateTaskStatus: async () => {},
  });
  addControlService(server, async () => ({ ok: true, json: "{}" }));
  await server.start();
});
afterAll(() => server.stop());

function relayedFor(nodeId: string, overrides: Partial<RelayedCaller["peer"]> = {}): RelayedCaller {
  return {
    peer: { nodeId, role: "swarm-worker", clusterId: swarm.clusterId, ...overrides },
    remote: "10.1.2.3:40000",
  };
}

async function heartbeatAs(tls: TlsMaterialSource, caller: RelayedCaller | string) {
  const client = new DispatcherClient(server.address, tls);
  const metadata =
    typeof caller === "string" ? relayedCallerMetadata(relayedFor("x")) : relayedCallerMetadata(caller);
  if (typeof caller === "string") metadata.set(RELAYED_CALLER_METADATA_KEY, caller);
  try {
    return await client.heartbeat("s", { metadata }).then(
      () => ({ code: "OK", message: "" }),
      (err: { code: string; message: string }) => ({ code: err.code, message: err.message }),
    );
  } finally {
    client.close();
  }
}

describe("relayed dispatcher calls", () => {
  it("a manager's relayed call reaches the handler as the named node, from the node's address", async () => {
    expect((await heartbeatAs(manager, relayedFor("worker1"))).code).toBe("OK");
    expect(heartbeats.at(-1)).toBe("worker1/swarm-worker@10.1.2.3:40000");
  });

  it("refuses a worker that names another node", async () => {
    const result = await heartbeatAs(worker, relayedFor("worker2"));
    expect(result).toEqual({
      code: "PERMISSION_DENIED",
      message: expect.stringMatching(/peer worker1 is a swarm-worker; only managers relay calls/),
    });
  });

  it("checks the named node like a direct caller: removed, other cluster, malformed", async () => {
    expect((await heartbeatAs(manager, relayedFor("worker7"))).message).toMatch(
      /relayed node worker7 has been removed from the swarm; it must join again/,
    );
    expect(
      (await heartbeatAs(manager, relayedFor("worker1", { clusterId: "othercluster" }))).message,
    ).toMatch(/relayed node worker1 belongs to cluster othercluster/);
    const malformed = await heartbeatAs(manager, '{"peer":{"nodeId":"UPPER CASE"}}');
    expect(malformed.code).toBe("PERMISSION_DENIED");
    expect(malformed.message).toMatch(/the relayed caller is malformed: remote must be an address/);
  });

  it("refuses a relay on a method that is not relayable (control forwarding)", async () => {
    const control = new (shoalServices().control)(
      server.address,
      mutualTlsChannelCredentials(manager),
      managerChannelOptions(),
    );
    const request = { procedure: "service.scale", payload_json: "{}", actor_json: "{}" };
    const metadata = relayedCallerMetadata(relayedFor("worker1"));
    const result = await unaryCall(control, "Forward", request, z.unknown(), { metadata }).then(
      () => ({ code: "OK", message: "" }),
      (err: { code: string; message: string }) => ({ code: err.code, message: err.message }),
    );
    control.close();
    expect(result.code).toBe("PERMISSION_DENIED");
    expect(result.message).toMatch(/Control\/Forward refused: this method cannot be relayed/);
  });
});
