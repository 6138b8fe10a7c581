/**
 * The manager's side of a root CA rotation on a test store: the rotation is stored, joins and
 * renewals sign with the new key (chain: leaf + cross-signed) and answer both roots, each is
 * recorded, and the rotation ends once every node that is not down renewed: the new root, join
 * tokens with its digest and the same secrets, keys never shown by inspect.
 */
import { X509Certificate } from "node:crypto";
import { createNodeCsr, createRootCa, generateJoinTokens, parseJoinToken, rootCaDigestHex } from "@shoal/ca";
import type { CallContext } from "@shoal/rpc";
import { DEFAULT_CLUSTER_SPEC, type Store } from "@shoal/store";
import { createTestStore } from "@shoal/store/testing";
import { describe, expect, it } from "vitest";
import { inspectCluster } from "../control/cluster.ts";
import { systemClock } from "../loop/clock.ts";
import { CaServer } from "./ca-server.ts";
import { maybeFinishRootRotation, rotateRootCa } from "./root-rotation.ts";

const anonymous: CallContext = {
  peer: undefined,
  remote: "ipv4:10.0.0.9:1",
  signal: new AbortController().signal,
};

async function setUp(): Promise<{ store: Store; ca: CaServer; oldRootPem: string; workerToken: string }> {
  const { store } = createTestStore({ seed: 5 });
  const root = await createRootCa();
  const joinTokens = generateJoinTokens(root.certPem);
  await store.update((tx) =>
    tx.create("cluster", {
      id: store.newId(),
      spec: DEFAULT_CLUSTER_SPEC,
      rootCa: {
        caCertPem: root.certPem,
        caKeyPem: root.keyPem,
        caCertHash: rootCaDigestHex(root.certPem),
        joinTokens,
      },
      unlockKeys: [],
    }),
  );
  return { store, ca: new CaServer(store), oldRootPem: root.certPem, workerToken: joinTokens.worker };
}

const blocks = (pem: string) => pem.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;

describe("root CA rotation (manager)", () => {
  it("issues under the new root while rotating, records each node and finishes when all renewed", async () => {
    const { store, ca, oldRootPem, workerToken } = await setUp();
    const ctx = { store, clock: systemClock };
    const first = await ca.issueNodeCertificate(
      {
        csr_pem: (await createNodeCsr()).csrPem,
        token: workerToken,
        hints: { hostname: "w1", advertise_addr: "", availability: "" },
      },
      anonymous,
    );
    const status = await rotateRootCa(ctx, {});
    expect(status).toMatchObject({ nodesRenewed: 0, nodesTotal: 1, pendingNodeIds: [first.node_id] });
    await expect(rotateRootCa(ctx, {})).rejects.toMatchObject({ code: "failed-precondition" });

    const view = await inspectCluster(ctx);
    expect(JSON.stringify(view)).not.toContain("PRIVATE KEY");
    expect(view.rootCa.rotation?.nodesTotal).toBe(1);

    const renewed = await ca.renewNodeCertificate(
      { csr_pem: (await createNodeCsr()).csrPem },
      { ...anonymous, peer: { nodeId: first.node_id, role: "swarm-worker", clusterId: "" } },
    );
    expect(blocks(renewed.certificate_chain_pem)).toBe(2); // leaf + cross-signed
    expect(blocks(renewed.root_ca_pem)).toBe(2); // old + new roots
    const newRoot = new X509Certificate(status.newCaCertPem);
    const leaf = new X509Certificate(renewed.certificate_chain_pem);
    expect(leaf.verify(newRoot.publicKey)).toBe(true);

    const finished = (await store.update((tx) => maybeFinishRootRotation(tx))).value;
    expect(finished).toBe(true);
    const cluster = store.view((v) => v.clusters.all()[0]!);
    expect(cluster.rootCa.rotation).toBeUndefined();
    expect(cluster.rootCa.caCertPem).toBe(status.newCaCertPem);
    expect(cluster.rootCa.caCertPem).not.toBe(oldRootPem);
    const token = parseJoinToken(cluster.rootCa.joinTokens.worker);
    expect(token.rootCaDigestHex).toBe(rootCaDigestHex(status.newCaCertPem));
    expect(token.secret).toBe(parseJoinToken(workerToken).secret);
  });

  it("does not finish while a node that is not down has not renewed", async () => {
    const { store, ca, workerToken } = await setUp();
    await ca.issueNodeCertificate(
      {
        csr_pem: (await createNodeCsr()).csrPem,
        token: workerToken,
        hints: { hostname: "w1", advertise_addr: "", availability: "" },
      },
      anonymous,
    );
    await rotateRootCa({ store, clock: systemClock }, {});
    expect((await store.update((tx) => maybeFinishRootRotation(tx))).value).toBe(false);
  });
});
