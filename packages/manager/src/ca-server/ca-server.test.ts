import { X509Certificate } from "node:crypto";
import { createNodeCsr, createRootCa, generateJoinTokens, type RootCa } from "@shoal/ca";
import type { CallContext, NodeCallContext } from "@shoal/rpc";
import { DEFAULT_CLUSTER_SPEC, type Store } from "@shoal/store";
import { createTestStore } from "@shoal/store/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { CaServer } from "./ca-server.ts";

let root: RootCa;
let tokens: { worker: string; manager: string };
beforeAll(async () => {
  root = await createRootCa();
  tokens = generateJoinTokens(root.certPem);
});

const anonymous: CallContext = {
  peer: undefined,
  remote: "ipv4:10.77.0.12:50000",
  signal: new AbortController().signal,
};

async function setUp(): Promise<{ store: Store; ca: CaServer; clusterId: string }> {
  const { store } = createTestStore({ seed: 3 });
  const clusterId = store.newId();
  await store.update((tx) =>
    tx.create("cluster", {
      id: clusterId,
      spec: DEFAULT_CLUSTER_SPEC,
      rootCa: { caCertPem: root.certPem, caKeyPem: root.keyPem, caCertHash: "h", joinTokens: tokens },
      unlockKeys: [],
    }),
  );
  return { store, ca: new CaServer(store), clusterId };
}

function subject(chainPem: string): string {
  return new X509Certificate(chainPem).subject;
}

async function join(
  ca: CaServer,
  token: string,
  hints: { hostname: string; advertise_addr: string; availability: "" | "active" | "pause" | "drain" } = {
    hostname: "w1",
    advertise_addr: "",
    availability: "",
  },
) {
  const { csrPem } = await createNodeCsr();
  return ca.issueNodeCertificate({ csr_pem: csrPem, token, hints }, anonymous);
}

describe("CaServer", () => {
  it("serves the stored root PEM byte for byte", async () => {
    const { ca } = await setUp();
    expect((await ca.getRootCaCertificate()).certificate_pem).toBe(root.certPem);
  });

  it("issues a worker certificate for the worker token and creates the Node with a store id", async () => {
    const { store, ca, clusterId } = await setUp();
    const issued = await join(ca, tokens.worker);
    expect(issued.node_id).toMatch(/^[0-9a-z]{25}$/);
    expect(issued.role).toBe("swarm-worker");
    expect(issued.root_ca_pem).toBe(root.certPem);
    expect(subject(issued.certificate_chain_pem)).toBe(
      `CN=${issued.node_id}\nOU=swarm-worker\nO=${clusterId}`,
    );
    const node = store.view((v) => v.nodes.get(issued.node_id))!;
    expect(node).toMatchObject({
      role: "worker",
      spec: { role: "worker", availability: "active" },
      status: { state: "unknown", addr: "10.77.0.12" },
    });
  });

  it("issues a manager certificate only for the manager token", async () => {
    const { store, ca } = await setUp();
    const issued = await join(ca, tokens.manager, {
      hostname: "m2",
      advertise_addr: "10.77.0.20:2377",
      availability: "drain",
    });
    expect(issued.role).toBe("swarm-manager");
    expect(store.view((v) => v.nodes.get(issued.node_id))).toMatchObject({
      role: "manager",
      spec: { availability: "drain" },
      status: { addr: "10.77.0.20" },
    });
  });

  it("refuses a wrong or rotated token and creates nothing", async () => {
    const { store, ca } = await setUp();
    const forged = `${tokens.worker.slice(0, -5)}00000`;
    await expect(join(ca, forged)).rejects.toMatchObject({ code: "INVALID_JOIN_TOKEN" });
    expect(store.view((v) => v.nodes.all())).toEqual([]);
  });

  it("renews with the identity of the caller's certificate and the node's desired role", async () => {
    const { store, ca } = await setUp();
    const issued = await join(ca, tokens.worker);
    const peer: NodeCallContext = {
      ...anonymous,
      peer: { nodeId: issued.node_id, role: "swarm-worker", clusterId: "c" },
    };
    const { csrPem } = await createNodeCsr();
    const renewed = await ca.renewNodeCertificate({ csr_pem: csrPem }, peer);
    expect(renewed.role).toBe("swarm-worker");
    expect(subject(renewed.certificate_chain_pem)).toContain(`CN=${issued.node_id}`);
    // Promotion: the next renewal carries the manager role, and the Node's role follows.
    await store.update((tx) => {
      const node = tx.nodes.get(issued.node_id)!;
      tx.update("node", { ...node, spec: { ...node.spec, role: "manager" } });
    });
    expect((await ca.nodeCertificateStatus(peer)).message).toMatch(/renew/);
    const promoted = await ca.renewNodeCertificate({ csr_pem: (await createNodeCsr()).csrPem }, peer);
    expect(promoted.role).toBe("swarm-manager");
    expect(store.view((v) => v.nodes.get(issued.node_id)?.role)).toBe("manager");
  });

  it("refuses to renew for a removed node", async () => {
    const { store, ca } = await setUp();
    const issued = await join(ca, tokens.worker);
    await store.update((tx) => tx.delete("node", tx.nodes.get(issued.node_id)!));
    const peer: NodeCallContext = {
      ...anonymous,
      peer: { nodeId: issued.node_id, role: "swarm-worker", clusterId: "c" },
    };
    await expect(
      ca.renewNodeCertificate({ csr_pem: (await createNodeCsr()).csrPem }, peer),
    ).rejects.toMatchObject({
      code: "PEER_REMOVED",
    });
  });

  it("answers UNAVAILABLE where it cannot write (a follower)", async () => {
    const { store, ca } = await setUp();
    store.setProposer(undefined);
    await expect(join(ca, tokens.worker)).rejects.toMatchObject({ code: "UNAVAILABLE" });
  });
});
