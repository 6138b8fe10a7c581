import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unaryCall } from "../client/call-helpers.ts";
import { addControlService, ControlForwardingClient } from "../control/control-forwarding.ts";
import { DispatcherClient } from "../dispatcher/dispatcher-client.ts";
import { HeartbeatResponse } from "../dispatcher/dispatcher-schemas.ts";
import { addDispatcherService } from "../dispatcher/dispatcher-service.ts";
import { shoalServices } from "../proto/load-protos.ts";
import { GrpcRaftTransport } from "../raft/grpc-raft-transport.ts";
import { RaftMembershipClient } from "../raft/raft-membership-client.ts";
import { RpcServer } from "../server/rpc-server.ts";
import { createTestSwarm, nodeMaterial, recordingLogger, type TestSwarm } from "../testing/test-pki.ts";
import { managerChannelOptions, mutualTlsChannelCredentials } from "../tls/channel-credentials.ts";
import { TlsMaterialSource } from "../tls/tls-material.ts";
import { methodAccessTable } from "./method-access.ts";
import { VERIFIED_PEER_METADATA_KEY } from "./verified-peer.ts";

let swarm: TestSwarm;
let server: RpcServer;
let transport: GrpcRaftTransport;
const removed = new Set<string>();
const heartbeatsFrom: string[] = [];
const logger = recordingLogger();
let worker: TlsMaterialSource;
let manager: TlsMaterialSource;
let removedManager: TlsMaterialSource;

beforeAll(async () => {
  swarm = await createTestSwarm();
  const tls = new TlsMaterialSource(await nodeMaterial(swarm, "manager1", "swarm-manager"));
  worker = new TlsMaterialSource(await nodeMaterial(swarm, "worker1", "swarm-worker"));
  manager = new TlsMaterialSource(await nodeMaterial(swarm, "manager2", "swarm-manager"));
  removedManager = new TlsMaterialSource(await nodeMaterial(swarm, "manager3", "swarm-manager"));
  removed.add("manager3");
  server = new RpcServer({
    listen: "127.0.0.1:0",
    tls,
    isRemoved: (id) => removed.has(id),
    clusterId: swarm.clusterId,
    logger,
  });
  addDispatcherService(server, {
    session: async (_request, context, send) =>
      send({ session_id: `s-${context.peer.nodeId}`, node_json: "", managers: [], root_ca_pem: "" }),
    heartbeat: async (_request, context) => {
      heartbeatsFrom.push(`${context.peer.nodeId}/${context.peer.role}`);
      return { period_ms: 5_000 };
    },
    assignments: async () => {},
    updateTaskStatus: async () => {},
  });
  addControlService(server, async (request) => ({
    ok: true,
    json: JSON.stringify({ echoed: request.procedure }),
  }));
  transport = new GrpcRaftTransport({
    id: 1,
    server,
    tls,
    logger,
    membership: {
      resolveAddress: async () => ({ addr: "127.0.0.1:2377" }),
      join: async (request) => ({
        raft_id: 2,
        members: [{ raft_id: 2, node_id: "manager2", addr: request.addr }],
        removed: [],
      }),
      leave: async () => ({}),
    },
  });
  await server.start();
});
afterAll(async () => {
  await transport.close();
  await server.stop();
});

async function codeAndMessage(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  return promise.then(
    () => ({ code: "OK", message: "" }),
    (err: { code: string; message: string }) => ({ code: err.code, message: err.message }),
  );
}

describe("authorization table", () => {
  it("covers every method of every service: CA join calls open, raft and control for managers", () => {
    const table = methodAccessTable();
    const rows = Object.fromEntries(
      [...table].map(([path, access]) => [path, access.kind === "open" ? "open" : access.roles.join("+")]),
    );
    expect(rows).toMatchObject({
      "/shoal.ca.CA/GetRootCACertificate": "open",
      "/shoal.ca.CA/IssueNodeCertificate": "open",
      "/shoal.ca.CA/RenewNodeCertificate": "swarm-worker+swarm-manager",
      "/shoal.dispatcher.Dispatcher/Heartbeat": "swarm-worker+swarm-manager",
      "/shoal.dispatcher.Dispatcher/Endpoints": "swarm-worker+swarm-manager",
      "/shoal.raft.Raft/ProcessRaftMessage": "swarm-manager",
      "/shoal.raft.Raft/Join": "swarm-manager",
      "/shoal.control.Control/Forward": "swarm-manager",
      "/shoal.control.Control/SubscribeLogs": "swarm-manager",
    });
    expect(table.size).toBe(17);
  });
});

describe("per-method authorization on one port", () => {
  it("lets a worker use the dispatcher, and the handler sees the worker's verified identity", async () => {
    const client = new DispatcherClient(server.address, worker, { clusterId: swarm.clusterId });
    expect(await client.heartbeat("s-worker1")).toEqual({ period_ms: 5_000 });
    client.close();
    expect(heartbeatsFrom).toContain("worker1/swarm-worker");
  });

  it("refuses a worker calling a raft method with PERMISSION_DENIED and says why", async () => {
    const client = new RaftMembershipClient(server.address, worker);
    const result = await codeAndMessage(client.join("127.0.0.1:9999"));
    client.close();
    expect(result.code).toBe("PERMISSION_DENIED");
    expect(result.message).toMatch(
      /\/shoal\.raft\.Raft\/Join refused: peer worker1 is a swarm-worker; this connection admits swarm-manager/,
    );
  });

  it("refuses a worker forwarding control calls", async () => {
    const client = new ControlForwardingClient(server.address, worker);
    const result = await codeAndMessage(
      client.forward({ procedure: "service.scale", payload_json: "{}", actor_json: "{}" }),
    );
    client.close();
    expect(result.code).toBe("PERMISSION_DENIED");
  });

  it("lets a manager use raft and control forwarding", async () => {
    const raft = new RaftMembershipClient(server.address, manager);
    expect((await raft.join("127.0.0.1:9999")).members[0]?.node_id).toBe("manager2");
    raft.close();
    const control = new ControlForwardingClient(server.address, manager);
    expect(
      await control.forward({ procedure: "service.scale", payload_json: "{}", actor_json: "{}" }),
    ).toEqual({
      ok: true,
      json: '{"echoed":"service.scale"}',
    });
    control.close();
  });

  it("refuses a removed node on every authenticated method, though its certificate is still valid", async () => {
    const raft = new RaftMembershipClient(server.address, removedManager);
    const raftResult = await codeAndMessage(raft.join("127.0.0.1:9999"));
    raft.close();
    const dispatcher = new DispatcherClient(server.address, removedManager);
    const heartbeatResult = await codeAndMessage(dispatcher.heartbeat("s"));
    dispatcher.close();
    for (const result of [raftResult, heartbeatResult]) {
      expect(result.code).toBe("PERMISSION_DENIED");
      expect(result.message).toMatch(/node manager3 has been removed from the swarm; it must join again/);
    }
  });

  it("a removal takes effect on an open connection at the next call", async () => {
    const victim = new TlsMaterialSource(await nodeMaterial(swarm, "worker9", "swarm-worker"));
    const client = new DispatcherClient(server.address, victim);
    expect((await client.heartbeat("s")).period_ms).toBe(5_000);
    removed.add("worker9");
    expect((await codeAndMessage(client.heartbeat("s"))).code).toBe("PERMISSION_DENIED");
    client.close();
  });

  it("ignores a client's attempt to claim an identity through the reserved metadata key", async () => {
    const client = new (shoalServices().raft)(
      server.address,
      mutualTlsChannelCredentials(worker),
      managerChannelOptions(),
    );
    const metadata = new grpc.Metadata();
    metadata.set(
      VERIFIED_PEER_METADATA_KEY,
      JSON.stringify({ nodeId: "manager2", role: "swarm-manager", clusterId: swarm.clusterId }),
    );
    const result = await codeAndMessage(
      unaryCall(client, "Leave", { raft_id: 2 }, HeartbeatResponse, { metadata }),
    );
    client.close();
    expect(result.code).toBe("PERMISSION_DENIED");

    const dispatcher = new (shoalServices().dispatcher)(
      server.address,
      mutualTlsChannelCredentials(worker),
      managerChannelOptions(),
    );
    const before = heartbeatsFrom.length;
    await unaryCall(dispatcher, "Heartbeat", { session_id: "s" }, HeartbeatResponse, { metadata });
    dispatcher.close();
    expect(heartbeatsFrom.slice(before)).toEqual(["worker1/swarm-worker"]);
  });
});

describe("dispatcher helpers", () => {
  it("opens a session whose first message carries the session id", async () => {
    const client = new DispatcherClient(server.address, worker);
    const messages = [];
    for await (const m of client.session({ description: null })) messages.push(m);
    client.close();
    expect(messages.map((m) => m.session_id)).toEqual(["s-worker1"]);
  });

  it("refuses a malformed status batch at the boundary", async () => {
    const client = new DispatcherClient(server.address, worker);
    const result = await codeAndMessage(
      client.updateTaskStatus("s", [{ task_id: "t1", status_json: "{not json" }]),
    );
    client.close();
    expect(result.code).toBe("INVALID_ARGUMENT");
    expect(result.message).toMatch(/updates\.0\.status_json: must be JSON/);
  });
});
