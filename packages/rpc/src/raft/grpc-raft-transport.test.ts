/**
 * Raft messages between three OS processes (spawned with tsx), each a manager with its own
 * certificate, over gRPC and mutual TLS on 127.0.0.1.
 */
import type * as grpc from "@grpc/grpc-js";
import { encodeMessage, MessageType, message } from "@shoal/raft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shoalServices } from "../proto/load-protos.ts";
import { RpcServer } from "../server/rpc-server.ts";
import { ChildNode } from "../testing/child-node.ts";
import {
  createTestSwarm,
  eventually,
  nodeMaterial,
  recordingLogger,
  type TestSwarm,
} from "../testing/test-pki.ts";
import { managerChannelOptions, mutualTlsChannelCredentials } from "../tls/channel-credentials.ts";
import { type TlsMaterial, TlsMaterialSource } from "../tls/tls-material.ts";
import { GrpcRaftTransport } from "./grpc-raft-transport.ts";

let swarm: TestSwarm;
const material = new Map<number, TlsMaterial>();
const nodes = new Map<number, ChildNode>();

async function startNode(id: number, listen = "127.0.0.1:0"): Promise<ChildNode> {
  const node = await ChildNode.start(id, { listen, tls: material.get(id)!, clusterId: swarm.clusterId });
  nodes.set(id, node);
  return node;
}

function connectAll(): void {
  for (const [id, node] of nodes) {
    for (const [peerId, peer] of nodes)
      if (peerId !== id) node.command({ op: "addPeer", id: peerId, address: peer.address });
  }
}

/** Writes one batch on a raw ProcessRaftMessage stream, as a (possibly misbehaving) manager would. */
async function sendRawBatch(address: string, tls: TlsMaterialSource, messages: Uint8Array[]): Promise<void> {
  const client = new (shoalServices().raft)(
    address,
    mutualTlsChannelCredentials(tls),
    managerChannelOptions(),
  );
  await new Promise<void>((resolve) => {
    const stream = (
      client as unknown as { ProcessRaftMessage(cb: () => void): grpc.ClientWritableStream<unknown> }
    ).ProcessRaftMessage(() => resolve());
    stream.write({ messages });
    stream.end();
  });
  client.close();
}

beforeAll(async () => {
  swarm = await createTestSwarm();
  for (const id of [1, 2, 3]) material.set(id, await nodeMaterial(swarm, `manager${id}`, "swarm-manager"));
  material.set(9, await nodeMaterial(swarm, "manager9", "swarm-manager"));
  await Promise.all([1, 2, 3].map((id) => startNode(id)));
  connectAll();
}, 60_000);

afterAll(async () => {
  await Promise.all([...nodes.values()].map((node) => node.kill()));
});

describe("GrpcRaftTransport between three processes", () => {
  it("delivers messages between every pair, in order", async () => {
    for (const [from, node] of nodes) {
      for (const to of [1, 2, 3]) if (to !== from) node.command({ op: "send", to, index: 1, count: 50 });
    }
    const expected = Array.from({ length: 50 }, (_, i) => i + 1);
    await eventually(
      () =>
        [1, 2, 3].every((id) =>
          [1, 2, 3].every((from) => from === id || nodes.get(id)!.received(from).length === 50),
        ),
      "50 messages on every pair",
    );
    for (const id of [1, 2, 3]) {
      for (const from of [1, 2, 3]) if (from !== id) expect(nodes.get(id)!.received(from)).toEqual(expected);
    }
  });

  it("drops a malformed batch and an oversized one, logs them, and keeps serving", async () => {
    const node2 = nodes.get(2)!;
    const tls = new TlsMaterialSource(material.get(9)!);
    const good = encodeMessage(message({ type: MessageType.App, from: 1, to: 2, term: 1, index: 1000 }));
    await sendRawBatch(node2.address, tls, [good, Buffer.from([0xff, 0xff, 0xff])]);
    await sendRawBatch(
      node2.address,
      tls,
      Array.from({ length: 600 }, () => good),
    );
    await eventually(
      () =>
        node2.events.filter(
          (e) => e.event === "log" && e.msg === "raft transport: dropping a bad batch from a peer",
        ).length === 2,
      "two dropped batches logged",
    );
    const reasons = node2.events
      .filter((e) => e.msg === "raft transport: dropping a bad batch from a peer")
      .map((e) => (e.fields as { reason: string; from: string }).reason);
    expect(reasons[0]).toMatch(/message 1 is malformed/);
    expect(reasons[1]).toMatch(/batch of 600 messages exceeds 512/);
    // Nothing of either batch reached Raft (all-or-nothing), and the node still works.
    expect(node2.received(1)).not.toContain(1000);
    nodes.get(1)!.command({ op: "send", to: 2, index: 2000 });
    await eventually(() => node2.received(1).includes(2000), "a good message after the bad batches");
  });

  it("refuses a worker's raft stream with PERMISSION_DENIED; nothing reaches Raft", async () => {
    const node1 = nodes.get(1)!;
    const logger = recordingLogger();
    const tls = new TlsMaterialSource(await nodeMaterial(swarm, "worker7", "swarm-worker"));
    const server = new RpcServer({ listen: "127.0.0.1:0", tls, isRemoved: () => false, logger });
    const intruder = new GrpcRaftTransport({ id: 7, server, tls, logger });
    await server.start();
    intruder.addPeer(1, node1.address);
    await eventually(() => {
      intruder.send([message({ type: MessageType.App, from: 7, to: 1, term: 1, index: 7000 })]);
      return logger.lines.some((l) => l.msg === "raft transport: peer refused our stream");
    }, "the worker's stream to be refused");
    await intruder.close();
    await server.stop();
    const refusal = node1.events.find((e) => e.msg === "rpc: call refused");
    expect(refusal).toBeDefined();
    expect((refusal!.fields as { reason: string }).reason).toMatch(
      /ProcessRaftMessage refused: peer worker7 is a swarm-worker; this connection admits swarm-manager/,
    );
    expect(node1.received(7)).toEqual([]);
  });

  it("reports an unreachable peer and reconnects after the peer restarts on the same port", async () => {
    const node1 = nodes.get(1)!;
    const old3 = nodes.get(3)!;
    const address = old3.address;
    await old3.kill();
    await eventually(() => {
      node1.command({ op: "send", to: 3, index: 3000 });
      return node1.events.some((e) => e.event === "unreachable" && e.peer === 3);
    }, "node 1 to report node 3 unreachable");
    const new3 = await startNode(3, address);
    await eventually(
      () => {
        node1.command({ op: "send", to: 3, index: 4000 });
        return new3.received(1).includes(4000);
      },
      "delivery to the restarted node",
      15_000,
    );
  });

  it("follows a peer to a new address", async () => {
    const node1 = nodes.get(1)!;
    await nodes.get(2)!.kill();
    const moved = await startNode(2);
    node1.command({ op: "addPeer", id: 2, address: moved.address });
    await eventually(
      () => {
        node1.command({ op: "send", to: 2, index: 5000 });
        return moved.received(1).includes(5000);
      },
      "delivery at the new address",
      15_000,
    );
  });
});
