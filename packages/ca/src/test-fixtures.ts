/** Helpers for this package's tests: CAs and node credentials built in a few lines. */
import type { webcrypto } from "node:crypto";
import { createNodeCsr } from "./csr.ts";
import type { NodeCredentials } from "./key-store.ts";
import { issueNodeCertificate, type SigningCa } from "./node-certificate.ts";
import type { NodeRole } from "./node-role.ts";
import { derToPem } from "./pem.ts";
import { subtle, x509 } from "./x509.ts";

export const CLUSTER_ID = "c1uster0000000000000000001";

export async function issueCredentials(
  ca: SigningCa,
  nodeId: string,
  role: NodeRole,
  options: { clusterId?: string; now?: Date; validityMs?: number } = {},
): Promise<NodeCredentials> {
  const { csrPem, keyPem } = await createNodeCsr();
  const issued = await issueNodeCertificate({
    ca,
    csrPem,
    nodeId,
    role,
    clusterId: options.clusterId ?? CLUSTER_ID,
    ...(options.now ? { now: options.now } : {}),
    ...(options.validityMs ? { validityMs: options.validityMs } : {}),
  });
  return { certChainPem: issued.certChainPem, keyPem };
}

export type TestKeyAlgorithm = "p256" | "p384" | "rsa1024" | "rsa2048";

const KEY_PARAMS: Record<TestKeyAlgorithm, { gen: unknown; sign: unknown }> = {
  p256: { gen: { name: "ECDSA", namedCurve: "P-256" }, sign: { name: "ECDSA", hash: "SHA-256" } },
  p384: { gen: { name: "ECDSA", namedCurve: "P-384" }, sign: { name: "ECDSA", hash: "SHA-384" } },
  rsa1024: { gen: rsa(1024), sign: { name: "RSASSA-PKCS1-v1_5" } },
  rsa2048: { gen: rsa(2048), sign: { name: "RSASSA-PKCS1-v1_5" } },
};

function rsa(modulusLength: number) {
  return {
    name: "RSASSA-PKCS1-v1_5",
    modulusLength,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: "SHA-256",
  };
}

/** A hand-made certificate + PKCS#8 key, for testing what an operator might supply. */
export async function makeCertificate(options: {
  algorithm?: TestKeyAlgorithm;
  isCa?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  subject?: string;
}): Promise<{ certPem: string; keyPem: string }> {
  const params = KEY_PARAMS[options.algorithm ?? "p256"];
  const keys = (await subtle.generateKey(params.gen as webcrypto.EcKeyGenParams, true, [
    "sign",
    "verify",
  ])) as webcrypto.CryptoKeyPair;
  const extensions: x509.Extension[] = [await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)];
  if (options.isCa ?? true) {
    extensions.push(new x509.BasicConstraintsExtension(true, undefined, true));
    extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true));
  }
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: options.subject ?? "CN=operator-ca",
    keys,
    notBefore: options.notBefore ?? new Date(Date.now() - 60_000),
    notAfter: options.notAfter ?? new Date(Date.now() + 365 * 24 * 3600_000),
    signingAlgorithm: params.sign as webcrypto.EcdsaParams,
    extensions,
  });
  const pkcs8 = new Uint8Array(await subtle.exportKey("pkcs8", keys.privateKey));
  return { certPem: cert.toString("pem"), keyPem: derToPem(pkcs8, "PRIVATE KEY") };
}
