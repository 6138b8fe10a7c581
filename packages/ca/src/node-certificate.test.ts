import { X509Certificate } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createNodeCsr } from "./csr.ts";
import { issueNodeCertificate, NODE_CERT_VALIDITY_MS_DEFAULT } from "./node-certificate.ts";
import { pemCertificatesToDer } from "./pem.ts";
import { CLOCK_SKEW_BACKDATE_MS, createRootCa, type RootCa } from "./root-ca.ts";
import { CLUSTER_ID } from "./test-fixtures.ts";
import { x509 } from "./x509.ts";

const NODE_ID = "n0de00000000000000000000a";
const now = new Date("2030-06-01T12:00:00Z");
let root: RootCa;
beforeAll(async () => {
  root = await createRootCa({ now: new Date("2030-01-01T00:00:00Z") });
});

async function issue(
  role: "swarm-manager" | "swarm-worker",
  extra: { validityMs?: number; csrPem?: string } = {},
) {
  const csrPem = extra.csrPem ?? (await createNodeCsr()).csrPem;
  return issueNodeCertificate({
    ca: root,
    csrPem,
    nodeId: NODE_ID,
    role,
    clusterId: CLUSTER_ID,
    now,
    ...extra,
  });
}

function parse(pem: string): x509.X509Certificate {
  return new x509.X509Certificate(pemCertificatesToDer(pem)[0]!);
}

describe("issueNodeCertificate", () => {
  it("names the node: CN = node ID, OU = role, O = cluster ID", async () => {
    const cert = parse((await issue("swarm-worker")).certChainPem);
    expect(cert.subjectName.getField("CN")).toEqual([NODE_ID]);
    expect(cert.subjectName.getField("OU")).toEqual(["swarm-worker"]);
    expect(cert.subjectName.getField("O")).toEqual([CLUSTER_ID]);
    expect(cert.issuer).toBe("CN=swarm-ca");
  });

  it("ignores the CSR's subject entirely", async () => {
    const { csrPem } = await createNodeCsr();
    expect(new x509.Pkcs10CertificateRequest(csrPem).subject).toBe("CN=swarm-node");
    const cert = parse((await issue("swarm-worker", { csrPem })).certChainPem);
    expect(cert.subject).not.toContain("swarm-node");
  });

  it("is valid for 90 days by default, backdated 5 minutes for clock skew", async () => {
    const issued = await issue("swarm-worker");
    const cert = parse(issued.certChainPem);
    expect(cert.notAfter.getTime() - now.getTime()).toBe(NODE_CERT_VALIDITY_MS_DEFAULT);
    expect(NODE_CERT_VALIDITY_MS_DEFAULT).toBe(90 * 24 * 3600_000);
    expect(now.getTime() - cert.notBefore.getTime()).toBe(CLOCK_SKEW_BACKDATE_MS);
    expect(issued.notAfter).toEqual(cert.notAfter);
  });

  it("takes a configured lifetime, within [1 hour, 10 years]", async () => {
    const cert = parse((await issue("swarm-worker", { validityMs: 7 * 24 * 3600_000 })).certChainPem);
    expect(cert.notAfter.getTime() - now.getTime()).toBe(7 * 24 * 3600_000);
    await expect(issue("swarm-worker", { validityMs: 60_000 })).rejects.toMatchObject({
      code: "INVALID_ISSUE_REQUEST",
    });
  });

  it("never outlives the signing CA", async () => {
    const shortRoot = await createRootCa({
      now: new Date(now.getTime() - 20 * 365 * 24 * 3600_000 + 24 * 3600_000),
    });
    const { csrPem } = await createNodeCsr();
    const issued = await issueNodeCertificate({
      ca: shortRoot,
      csrPem,
      nodeId: NODE_ID,
      role: "swarm-worker",
      clusterId: CLUSTER_ID,
      now,
    });
    expect(issued.notAfter).toEqual(new Date(new X509Certificate(shortRoot.certPem).validTo));
  });

  it("carries DNS SANs for the role and the node ID; managers also answer as swarm-ca", async () => {
    const worker = parse((await issue("swarm-worker")).certChainPem);
    const manager = parse((await issue("swarm-manager")).certChainPem);
    const dns = (cert: x509.X509Certificate) =>
      cert.getExtension(x509.SubjectAlternativeNameExtension)!.names.items.map((n) => `${n.type}:${n.value}`);
    expect(dns(worker)).toEqual(["dns:swarm-worker", `dns:${NODE_ID}`]);
    expect(dns(manager)).toEqual(["dns:swarm-manager", `dns:${NODE_ID}`, "dns:swarm-ca"]);
  });

  it("is a TLS client and server leaf, not a CA, signed by the root", async () => {
    const pem = (await issue("swarm-manager")).certChainPem;
    const cert = parse(pem);
    expect(cert.getExtension(x509.BasicConstraintsExtension)!.ca).toBe(false);
    expect(cert.getExtension(x509.ExtendedKeyUsageExtension)!.usages).toEqual([
      x509.ExtendedKeyUsage.serverAuth,
      x509.ExtendedKeyUsage.clientAuth,
    ]);
    const leaf = new X509Certificate(pem);
    expect(leaf.verify(new X509Certificate(root.certPem).publicKey)).toBe(true);
  });

  it("refuses a CSR whose signature does not match its key", async () => {
    const { csrPem } = await createNodeCsr();
    const der = Buffer.from(new x509.Pkcs10CertificateRequest(csrPem).rawData);
    der[der.length - 5]! ^= 0x01; // flip a bit inside the signature
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64")}\n-----END CERTIFICATE REQUEST-----\n`;
    await expect(issue("swarm-worker", { csrPem: tampered })).rejects.toMatchObject({ code: "INVALID_CSR" });
  });

  it("refuses garbage, oversized CSRs, bad node IDs and unknown roles", async () => {
    await expect(issue("swarm-worker", { csrPem: "nope" })).rejects.toMatchObject({ code: "INVALID_CSR" });
    await expect(issue("swarm-worker", { csrPem: "x".repeat(20_000) })).rejects.toThrow(/the limit is 16384/);
    const { csrPem } = await createNodeCsr();
    const base = { ca: root, csrPem, clusterId: CLUSTER_ID, now };
    await expect(
      issueNodeCertificate({ ...base, nodeId: "Bad ID", role: "swarm-worker" }),
    ).rejects.toMatchObject({ code: "INVALID_ISSUE_REQUEST" });
    await expect(
      issueNodeCertificate({ ...base, nodeId: NODE_ID, role: "swarm-admin" as "swarm-worker" }),
    ).rejects.toThrow(/is not swarm-manager or swarm-worker/);
  });
});
