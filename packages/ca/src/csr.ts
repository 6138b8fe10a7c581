import { createPublicKey, type webcrypto } from "node:crypto";
import { CaError } from "./errors.ts";
import { generateKeyPair, keyKind } from "./keys.ts";
import { x509 } from "./x509.ts";

/** A CSR crosses the network from an unauthenticated joiner: anything larger is refused unread. */
export const CSR_PEM_CHARS_MAX = 16 * 1024;
/** Placeholder subject of the CSR a node sends; the CA replaces it entirely. */
export const CSR_SUBJECT = "CN=swarm-node";

/** Node side: a fresh P-256 key that never leaves the node, and a CSR for it. */
export async function createNodeCsr(): Promise<{ csrPem: string; keyPem: string }> {
  const { keys, keyPem } = await generateKeyPair();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: CSR_SUBJECT,
    keys,
    signingAlgorithm: { name: "ECDSA", hash: "SHA-256" } as webcrypto.EcdsaParams,
  });
  return { csrPem: csr.toString("pem"), keyPem };
}

/**
 * CA side: parses a CSR, checks that it is signed by the key it carries (proof of possession)
 * and that the key is P-256 or RSA >= 2048, and returns that public key. Nothing else in the
 * CSR (subject, requested extensions) is used.
 */
export async function readCsrPublicKey(csrPem: string): Promise<x509.PublicKey> {
  if (csrPem.length > CSR_PEM_CHARS_MAX) {
    throw new CaError(
      "INVALID_CSR",
      `invalid CSR: ${csrPem.length} characters, the limit is ${CSR_PEM_CHARS_MAX}`,
    );
  }
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch (err) {
    throw new CaError("INVALID_CSR", `invalid CSR: not a PEM PKCS#10 certificate request (${String(err)})`, {
      cause: err,
    });
  }
  let signed = false;
  try {
    signed = await csr.verify();
  } catch (err) {
    throw new CaError("INVALID_CSR", `invalid CSR: its signature cannot be checked (${String(err)})`, {
      cause: err,
    });
  }
  if (!signed)
    throw new CaError("INVALID_CSR", "invalid CSR: the signature does not match the CSR's public key");
  keyKind(
    createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: "der", type: "spki" }),
    "INVALID_CSR",
    "invalid CSR",
  );
  return csr.publicKey;
}
