import { createNodeCsr, verifyPeerCertificate } from "@shoal/ca";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RpcServer } from "../server/rpc-server.ts";
import {
  createTestSwarm,
  nodeMaterial,
  recordingLogger,
  type TestSwarm,
  testCaHandlers,
} from "../testing/test-pki.ts";
import { TlsMaterialSource } from "../tls/tls-material.ts";
import { CaClient, fetchRootCaForJoin, requestNodeCertificate } from "./ca-client.ts";
import { addCaService } from "./ca-service.ts";

let swarm: TestSwarm;
let otherSwarm: TestSwarm;
let server: RpcServer;

beforeAll(async () => {
  swarm = await createTestSwarm();
  otherSwarm = await createTestSwarm("othercluster000000000001");
  const tls = new TlsMaterialSource(await nodeMaterial(swarm, "manager1", "swarm-manager"));
  server = new RpcServer({ listen: "127.0.0.1:0", tls, isRemoved: () => false, logger: recordingLogger() });
  addCaService(server, testCaHandlers(swarm));
  await server.start();
});
afterAll(() => server.stop());

async function refusal(promise: Promise<unknown>): Promise<{ name: string; code: string; message: string }> {
  const err = await promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e: { name: string; code: string; message: string }) => e,
  );
  return { name: err.name, code: err.code, message: err.message };
}

describe("joining a swarm over gRPC", () => {
  it("fetches the root CA over unverified TLS, pins it by the token's digest, and gets a certificate", async () => {
    const rootCaPem = await fetchRootCaForJoin(server.address, swarm.tokens.worker);
    expect(rootCaPem).toBe(swarm.root.certPem);
    const { csrPem, keyPem } = await createNodeCsr();
    const issued = await requestNodeCertificate(server.address, {
      rootCaPem,
      csrPem,
      joinToken: swarm.tokens.worker,
      hints: { hostname: "worker-a" },
    });
    expect(issued.role).toBe("swarm-worker");
    const verdict = verifyPeerCertificate(issued.certificate_chain_pem, rootCaPem, {
      allowedRoles: ["swarm-worker"],
      isRemoved: () => false,
      clusterId: swarm.clusterId,
    });
    expect(verdict.ok && verdict.peer.nodeId).toBe(issued.node_id);

    // The new certificate now works for the calls that need one; renewal keeps the identity.
    const tls = new TlsMaterialSource({
      certChainPem: issued.certificate_chain_pem,
      keyPem,
      trustBundlePem: rootCaPem,
    });
    const client = new CaClient(server.address, tls);
    const renewed = await client.renewNodeCertificate((await createNodeCsr()).csrPem);
    expect(renewed.role).toBe("swarm-worker");
    const status = await client.nodeCertificateStatus();
    expect(status.state).toBe("issued");
    client.close();
  });

  it("the manager token yields a manager certificate", async () => {
    const rootCaPem = await fetchRootCaForJoin(server.address, swarm.tokens.manager);
    const issued = await requestNodeCertificate(server.address, {
      rootCaPem,
      csrPem: (await createNodeCsr()).csrPem,
      joinToken: swarm.tokens.manager,
    });
    expect(issued.role).toBe("swarm-manager");
  });

  it("refuses a wrong token with PERMISSION_DENIED and a message that says what to do", async () => {
    const forged = `${swarm.tokens.worker.slice(0, -25)}${"0".repeat(25)}`;
    const rootCaPem = await fetchRootCaForJoin(server.address, forged);
    const err = await refusal(
      requestNodeCertificate(server.address, {
        rootCaPem,
        csrPem: (await createNodeCsr()).csrPem,
        joinToken: forged,
      }),
    );
    expect(err).toMatchObject({ name: "RpcError", code: "PERMISSION_DENIED" });
    expect(err.message).toMatch(/join token is not valid for this swarm/);
  });

  it("refuses to join a manager of another swarm: its CA does not match the token", async () => {
    const err = await refusal(fetchRootCaForJoin(server.address, otherSwarm.tokens.worker));
    expect(err).toMatchObject({ name: "CaError", code: "CA_MISMATCH" });
    expect(err.message).toMatch(/does not match the join token/);
  });

  it("refuses a CSR sent over TLS pinned to another swarm's CA (the server cannot be verified)", async () => {
    const err = await refusal(
      requestNodeCertificate(server.address, {
        rootCaPem: otherSwarm.root.certPem,
        csrPem: (await createNodeCsr()).csrPem,
        joinToken: otherSwarm.tokens.worker,
      }),
    );
    expect(err.code).toBe("UNAVAILABLE");
  });

  it("validates requests at the boundary", async () => {
    const rootCaPem = swarm.root.certPem;
    const err = await refusal(
      requestNodeCertificate(server.address, { rootCaPem, csrPem: "", joinToken: "x" }),
    );
    expect(err.code).toBe("INVALID_ARGUMENT");
    expect(err.message).toMatch(/csr_pem: a CSR is required/);
  });

  it("renewal needs a certificate of this swarm: another swarm's certificate is refused", async () => {
    const foreign = await nodeMaterial(otherSwarm, "stranger", "swarm-worker");
    // The stranger trusts this swarm's CA, so the handshake completes; the call does not.
    const tls = new TlsMaterialSource({ ...foreign, trustBundlePem: swarm.root.certPem });
    const client = new CaClient(server.address, tls);
    const err = await refusal(client.renewNodeCertificate((await createNodeCsr()).csrPem));
    client.close();
    expect(err.code).toBe("UNAUTHENTICATED");
    expect(err.message).toMatch(/needs a node certificate of this swarm/);
  });
});
