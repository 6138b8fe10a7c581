import type { AddressInfo } from "node:net";
import { connect, createServer, type TLSSocket } from "node:tls";
import { beforeAll, describe, expect, it } from "vitest";
import type { NodeCredentials } from "./key-store.ts";
import { createRootCa, type RootCa } from "./root-ca.ts";
import { rotationSigningCa, startRootRotation, trustBundleDuringRotation } from "./root-rotation.ts";
import { issueCredentials } from "./test-fixtures.ts";
import { nodeTlsOptions, peerCertificateChainPem } from "./tls-options.ts";
import { type VerifyPeerResult, verifyPeerCertificate } from "./verify-peer.ts";

interface Endpoint {
  readonly credentials: NodeCredentials;
  readonly trustBundlePem: string;
}

interface Outcome {
  /** Handshake result as the client saw it. */
  readonly client: "connected" | string;
  /** Handshake result as the server saw it, and its verdict on the client's certificate. */
  readonly server: "connected" | string;
  readonly verdict?: VerifyPeerResult;
}

/** One real TLS handshake on 127.0.0.1, with the server checking the peer like a manager would. */
async function handshake(
  server: Endpoint,
  client: Endpoint,
  removed: ReadonlySet<string> = new Set(),
): Promise<Outcome> {
  let serverResult = "no connection";
  let verdict: VerifyPeerResult | undefined;
  const tlsServer = createServer(
    nodeTlsOptions({ ...server.credentials, trustBundlePem: server.trustBundlePem }),
    (socket: TLSSocket) => {
      serverResult = "connected";
      verdict = verifyPeerCertificate(peerCertificateChainPem(socket), server.trustBundlePem, {
        allowedRoles: ["swarm-manager", "swarm-worker"],
        isRemoved: (nodeId) => removed.has(nodeId),
      });
      socket.end(verdict.ok ? "welcome" : "refused");
    },
  );
  tlsServer.on("tlsClientError", (err) => {
    serverResult = err.message;
  });
  await new Promise<void>((resolve) => tlsServer.listen(0, "127.0.0.1", resolve));
  const { port } = tlsServer.address() as AddressInfo;
  const clientResult = await new Promise<string>((resolve) => {
    const socket = connect({
      host: "127.0.0.1",
      port,
      servername: "swarm-manager",
      ...nodeTlsOptions({ ...client.credentials, trustBundlePem: client.trustBundlePem }),
    });
    // TLS 1.3 reports a client certificate refused by the server only on the first read.
    socket.on("data", () => resolve("connected"));
    socket.on("error", (err) => resolve(err.message));
    socket.on("close", () => resolve("closed without a reply"));
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
  return { client: clientResult, server: serverResult, ...(verdict ? { verdict } : {}) };
}

let root: RootCa;
let otherRoot: RootCa;
let manager: Endpoint;
let worker: Endpoint;
beforeAll(async () => {
  root = await createRootCa();
  otherRoot = await createRootCa();
  manager = {
    credentials: await issueCredentials(root, "manager1", "swarm-manager"),
    trustBundlePem: root.certPem,
  };
  worker = {
    credentials: await issueCredentials(root, "worker1", "swarm-worker"),
    trustBundlePem: root.certPem,
  };
});

describe("mutual TLS with node certificates", () => {
  it("a worker connects to a manager of its swarm, and the manager learns who it is", async () => {
    const outcome = await handshake(manager, worker);
    expect(outcome.client).toBe("connected");
    expect(outcome.server).toBe("connected");
    expect(outcome.verdict).toEqual({
      ok: true,
      peer: { nodeId: "worker1", role: "swarm-worker", clusterId: expect.any(String) },
    });
  });

  it("a certificate from another CA is refused by the manager", async () => {
    const stranger = {
      credentials: await issueCredentials(otherRoot, "worker9", "swarm-worker"),
      trustBundlePem: root.certPem,
    };
    const outcome = await handshake(manager, stranger);
    expect(outcome.server).not.toBe("connected");
    expect(outcome.client).not.toBe("connected");
    expect(outcome.verdict).toBeUndefined();
  });

  it("a worker refuses a manager whose certificate comes from another CA", async () => {
    const impostor = {
      credentials: await issueCredentials(otherRoot, "manager9", "swarm-manager"),
      trustBundlePem: root.certPem,
    };
    const outcome = await handshake(impostor, worker);
    expect(outcome.client).toMatch(
      /unable to verify the first certificate|unable to get local issuer certificate/,
    );
  });

  it("a removed node completes the handshake but its certificate is refused", async () => {
    const outcome = await handshake(manager, worker, new Set(["worker1"]));
    expect(outcome.verdict).toMatchObject({ ok: false, error: { code: "PEER_REMOVED" } });
  });
});

describe("mutual TLS during a root CA rotation", () => {
  let oldNode: NodeCredentials;
  let newNode: NodeCredentials;
  let bundle: string;
  let newRootPem: string;
  beforeAll(async () => {
    const rotation = await startRootRotation(root);
    bundle = trustBundleDuringRotation(root.certPem, rotation.newRoot.certPem);
    newRootPem = rotation.newRoot.certPem;
    oldNode = await issueCredentials(root, "oldnode", "swarm-manager");
    newNode = await issueCredentials(rotationSigningCa(rotation), "newnode", "swarm-manager");
  });

  it("the trust bundle holds the old root then the new one", () => {
    expect(bundle).toBe(root.certPem + newRootPem);
    expect(trustBundleDuringRotation(root.certPem, root.certPem)).toBe(root.certPem);
  });

  it("an old-root node and a new-root node talk, in both directions, when both trust the bundle", async () => {
    const a = await handshake(
      { credentials: oldNode, trustBundlePem: bundle },
      { credentials: newNode, trustBundlePem: bundle },
    );
    expect([a.client, a.server, a.verdict?.ok]).toEqual(["connected", "connected", true]);
    const b = await handshake(
      { credentials: newNode, trustBundlePem: bundle },
      { credentials: oldNode, trustBundlePem: bundle },
    );
    expect([b.client, b.server, b.verdict?.ok]).toEqual(["connected", "connected", true]);
  });

  it("a node that still trusts only the old root accepts a new-root certificate through the cross-signed intermediate", async () => {
    const a = await handshake(
      { credentials: oldNode, trustBundlePem: root.certPem },
      { credentials: newNode, trustBundlePem: bundle },
    );
    expect([a.client, a.server, a.verdict?.ok]).toEqual(["connected", "connected", true]);
    const b = await handshake(
      { credentials: newNode, trustBundlePem: bundle },
      { credentials: oldNode, trustBundlePem: root.certPem },
    );
    expect([b.client, b.server]).toEqual(["connected", "connected"]);
  });

  it("without the bundle, a node trusting only the new root refuses an old-root certificate", async () => {
    const outcome = await handshake(
      { credentials: newNode, trustBundlePem: newRootPem },
      { credentials: oldNode, trustBundlePem: bundle },
    );
    expect(outcome.server).not.toBe("connected");
  });
});
