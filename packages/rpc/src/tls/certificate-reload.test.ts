/**
 * Credentials change at run time without restarting the server: a renewed certificate is served
 * to new connections while open streams keep flowing, and a root rotation moves the trust bundle
 * (checked again on every call, so old connections follow it too).
 */
import { connect } from "node:tls";
import {
  createNodeCsr,
  issueNodeCertificate,
  type RootRotation,
  rotationSigningCa,
  startRootRotation,
  trustBundleDuringRotation,
} from "@shoal/ca";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DispatcherClient } from "../dispatcher/dispatcher-client.ts";
import { addDispatcherService } from "../dispatcher/dispatcher-service.ts";
import { RpcServer } from "../server/rpc-server.ts";
import { createTestSwarm, nodeMaterial, recordingLogger, type TestSwarm } from "../testing/test-pki.ts";
import { type TlsMaterial, TlsMaterialSource } from "./tls-material.ts";

let swarm: TestSwarm;
let rotation: RootRotation;
let serverTls: TlsMaterialSource;
let server: RpcServer;
let releaseSession: () => void = () => {};

/** Serial number of the certificate the server presents to a brand-new connection. */
function servedSerial(trustBundlePem: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const [host, port] = server.address.split(":");
    const socket = connect({
      host,
      port: Number(port),
      servername: "swarm-manager",
      ca: trustBundlePem,
      ALPNProtocols: ["h2"],
    });
    socket.once("secureConnect", () => {
      resolve(socket.getPeerCertificate().serialNumber);
      socket.destroy();
    });
    socket.once("error", reject);
  });
}

async function rotatedMaterial(
  nodeId: string,
  role: "swarm-manager" | "swarm-worker",
  trustBundlePem: string,
): Promise<TlsMaterial> {
  const { csrPem, keyPem } = await createNodeCsr();
  const issued = await issueNodeCertificate({
    ca: rotationSigningCa(rotation),
    csrPem,
    nodeId,
    role,
    clusterId: swarm.clusterId,
  });
  return { certChainPem: issued.certChainPem, keyPem, trustBundlePem };
}

async function heartbeatCode(client: DispatcherClient): Promise<string> {
  return client.heartbeat("s").then(
    () => "OK",
    (err: { code: string }) => err.code,
  );
}

beforeAll(async () => {
  swarm = await createTestSwarm();
  rotation = await startRootRotation(swarm.root);
  serverTls = new TlsMaterialSource(await nodeMaterial(swarm, "manager1", "swarm-manager"));
  server = new RpcServer({
    listen: "127.0.0.1:0",
    tls: serverTls,
    isRemoved: () => false,
    logger: recordingLogger(),
  });
  addDispatcherService(server, {
    session: async (_request, context, send) => {
      await send({ session_id: "before", node_json: "", managers: [], root_ca_pem: "" });
      await new Promise<void>((resolve) => {
        releaseSession = resolve;
      });
      await send({
        session_id: `after-${context.peer.nodeId}`,
        node_json: "",
        managers: [],
        root_ca_pem: "",
      });
    },
    heartbeat: async () => ({ period_ms: 5_000 }),
    assignments: async () => {},
    updateTaskStatus: async () => {},
  });
  await server.start();
});
afterAll(() => server.stop());

describe("certificate reload", () => {
  it("serves a renewed certificate to new connections while an open session keeps flowing", async () => {
    const worker = new TlsMaterialSource(await nodeMaterial(swarm, "worker1", "swarm-worker"));
    const client = new DispatcherClient(server.address, worker);
    const session = client.session({ description: null });
    expect((await session.next()).value?.session_id).toBe("before");

    const before = await servedSerial(swarm.root.certPem);
    serverTls.reload(await nodeMaterial(swarm, "manager1", "swarm-manager"));
    const after = await servedSerial(swarm.root.certPem);
    expect(after).not.toBe(before);

    releaseSession();
    expect((await session.next()).value?.session_id).toBe("after-worker1");
    expect(await heartbeatCode(client)).toBe("OK");
    client.close();
  });

  it("refuses to load a key that does not belong to the certificate, keeping the old material", async () => {
    const other = await nodeMaterial(swarm, "manager1", "swarm-manager");
    const current = serverTls.current;
    expect(() => serverTls.reload({ ...current, keyPem: other.keyPem })).toThrow(
      /does not belong to the certificate/,
    );
    expect(serverTls.current).toBe(current);
  });

  it("follows a root rotation: cross-signed leaves, then the new root alone", async () => {
    const bothRoots = trustBundleDuringRotation(rotation.oldRoot.certPem, rotation.newRoot.certPem);
    const oldWorker = new DispatcherClient(
      server.address,
      new TlsMaterialSource({
        ...(await nodeMaterial(swarm, "worker-old", "swarm-worker")),
        trustBundlePem: bothRoots,
      }),
    );
    const newWorker = new DispatcherClient(
      server.address,
      new TlsMaterialSource(await rotatedMaterial("worker-new", "swarm-worker", bothRoots)),
    );
    expect(await heartbeatCode(oldWorker)).toBe("OK");
    // The server still trusts the old root alone and does not know the cross-signed intermediate.
    expect(await heartbeatCode(newWorker)).toBe("UNAUTHENTICATED");

    // Rotation begins: the manager learns the cross-signed root and trusts both roots.
    serverTls.reload({
      ...serverTls.current,
      trustBundlePem: bothRoots,
      peerIntermediatesPem: rotation.crossSignedPem,
    });
    expect(await heartbeatCode(newWorker)).toBe("OK");
    expect(await heartbeatCode(oldWorker)).toBe("OK");

    // Rotation ends: the server holds a new-root certificate and trusts the new root alone. The old
    // worker's connection is still open, but its next call is refused.
    const newRootOnly = rotation.newRoot.certPem;
    const { csrPem, keyPem } = await createNodeCsr();
    const serverCert = await issueNodeCertificate({
      ca: rotation.newRoot,
      csrPem,
      nodeId: "manager1",
      role: "swarm-manager",
      clusterId: swarm.clusterId,
    });
    serverTls.reload({ certChainPem: serverCert.certChainPem, keyPem, trustBundlePem: newRootOnly });
    expect(await heartbeatCode(oldWorker)).toBe("UNAUTHENTICATED");
    expect(await heartbeatCode(newWorker)).toBe("OK");
    oldWorker.close();
    newWorker.close();
  });
});
