import { beforeAll, describe, expect, it } from "vitest";
import type { NodeCredentials } from "./key-store.ts";
import { derToPem, pemCertificatesToDer } from "./pem.ts";
import { createRootCa, type RootCa } from "./root-ca.ts";
import { rotationSigningCa, startRootRotation, trustBundleDuringRotation } from "./root-rotation.ts";
import { CLUSTER_ID, issueCredentials } from "./test-fixtures.ts";
import { type VerifyPeerOptions, verifyPeerCertificate } from "./verify-peer.ts";

const anyone: VerifyPeerOptions = { allowedRoles: ["swarm-manager", "swarm-worker"], isRemoved: () => false };
let root: RootCa;
let worker: NodeCredentials;
beforeAll(async () => {
  root = await createRootCa();
  worker = await issueCredentials(root, "worker1", "swarm-worker");
});

function refusal(certPem: string, trust: string, options: VerifyPeerOptions = anyone) {
  const result = verifyPeerCertificate(certPem, trust, options);
  if (result.ok) throw new Error("expected a refusal");
  return result.error;
}

describe("verifyPeerCertificate", () => {
  it("returns node ID, role and cluster ID of a certificate of this swarm", () => {
    expect(
      verifyPeerCertificate(worker.certChainPem, root.certPem, { ...anyone, clusterId: CLUSTER_ID }),
    ).toEqual({
      ok: true,
      peer: { nodeId: "worker1", role: "swarm-worker", clusterId: CLUSTER_ID },
    });
  });

  it("refuses a removed node, naming it", () => {
    const error = refusal(worker.certChainPem, root.certPem, {
      ...anyone,
      isRemoved: (id) => id === "worker1",
    });
    expect(error.code).toBe("PEER_REMOVED");
    expect(error.message).toMatch(/node worker1 has been removed/);
  });

  it("refuses a role this connection does not admit", () => {
    const error = refusal(worker.certChainPem, root.certPem, { ...anyone, allowedRoles: ["swarm-manager"] });
    expect(error.code).toBe("PEER_ROLE_NOT_ALLOWED");
  });

  it("refuses a node of another cluster", async () => {
    const foreign = await issueCredentials(root, "worker2", "swarm-worker", { clusterId: "othercluster" });
    expect(refusal(foreign.certChainPem, root.certPem, { ...anyone, clusterId: CLUSTER_ID }).code).toBe(
      "PEER_WRONG_CLUSTER",
    );
  });

  it("refuses a certificate of another CA, even one that sends its own root along", async () => {
    const otherRoot = await createRootCa();
    const stranger = await issueCredentials(otherRoot, "worker1", "swarm-worker");
    expect(refusal(stranger.certChainPem, root.certPem).code).toBe("PEER_UNTRUSTED");
    expect(refusal(stranger.certChainPem + otherRoot.certPem, root.certPem).message).toMatch(
      /not signed by this swarm's CA/,
    );
  });

  it("refuses an expired or not-yet-valid certificate", () => {
    const later = new Date(Date.now() + 91 * 24 * 3600_000);
    expect(refusal(worker.certChainPem, root.certPem, { ...anyone, now: later }).message).toMatch(
      /certificate expired/,
    );
    const earlier = new Date(Date.now() - 3600_000);
    expect(refusal(worker.certChainPem, root.certPem, { ...anyone, now: earlier }).message).toMatch(
      /not valid before/,
    );
  });

  it("refuses nothing presented, or a certificate with a broken signature", () => {
    expect(refusal("", root.certPem).message).toMatch(/no certificate presented/);
    const der = pemCertificatesToDer(worker.certChainPem)[0]!;
    der[der.length - 3]! ^= 0x01;
    expect(refusal(derToPem(der, "CERTIFICATE"), root.certPem).code).toBe("PEER_UNTRUSTED");
  });

  it("during a rotation, accepts a new-root certificate via the cross-signed intermediate or the new root", async () => {
    const rotation = await startRootRotation(root);
    const renewed = await issueCredentials(rotationSigningCa(rotation), "worker1", "swarm-worker");
    const leafOnly = derToPem(pemCertificatesToDer(renewed.certChainPem)[0]!, "CERTIFICATE");
    expect(pemCertificatesToDer(renewed.certChainPem)).toHaveLength(2);
    expect(verifyPeerCertificate(renewed.certChainPem, root.certPem, anyone).ok).toBe(true);
    expect(verifyPeerCertificate(leafOnly, rotation.newRoot.certPem, anyone).ok).toBe(true);
    expect(refusal(leafOnly, root.certPem).code).toBe("PEER_UNTRUSTED");
    const bundle = trustBundleDuringRotation(root.certPem, rotation.newRoot.certPem);
    expect(verifyPeerCertificate(worker.certChainPem, bundle, anyone).ok).toBe(true);
    expect(refusal(worker.certChainPem, rotation.newRoot.certPem).code).toBe("PEER_UNTRUSTED");
  });
});
