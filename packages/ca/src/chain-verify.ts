import { X509Certificate } from "node:crypto";
import { CaError } from "./errors.ts";
import { pemCertificatesToDer } from "./pem.ts";

/** Longest chain accepted: leaf, cross-signed intermediate, root, with room for one more. */
export const CHAIN_LENGTH_MAX = 4;

/**
 * Verifies that the first certificate of `chainPem` chains to a root in `trustBundlePem`, using
 * the other certificates of `chainPem` as untrusted intermediates. Every certificate on the path
 * must be inside its validity period at `now`; every issuer must be a CA. Synchronous, so it can
 * run inside TLS callbacks. Throws PEER_UNTRUSTED; returns the leaf.
 */
export function verifyCertificateChain(chainPem: string, trustBundlePem: string, now: Date): X509Certificate {
  const presented = pemCertificatesToDer(chainPem).map((der) => new X509Certificate(der));
  const anchors = pemCertificatesToDer(trustBundlePem).map((der) => new X509Certificate(der));
  const leaf = presented[0];
  if (leaf === undefined) throw untrusted("no certificate presented");
  if (anchors.length === 0) throw untrusted("the trust bundle is empty");
  checkValidity(leaf, now, "certificate");
  const intermediates = presented.slice(1).filter((cert) => cert.ca && !issued(cert, cert));

  let current = leaf;
  for (let depth = 1; depth < CHAIN_LENGTH_MAX; depth++) {
    const anchor = anchors.find((root) => issued(root, current));
    if (anchor !== undefined) {
      checkValidity(anchor, now, "root CA");
      return leaf;
    }
    const next = intermediates.find((cert) => cert !== current && issued(cert, current));
    if (next === undefined) throw untrusted("it is not signed by this swarm's CA");
    checkValidity(next, now, "intermediate CA");
    current = next;
  }
  throw untrusted(`the chain is longer than ${CHAIN_LENGTH_MAX} certificates`);
}

function issued(issuer: X509Certificate, subject: X509Certificate): boolean {
  if (!issuer.ca || !subject.checkIssued(issuer)) return false;
  try {
    return subject.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function checkValidity(cert: X509Certificate, now: Date, what: string): void {
  const nowMs = now.getTime();
  if (nowMs < Date.parse(cert.validFrom))
    throw untrusted(`the ${what} is not valid before ${cert.validFrom}`);
  if (nowMs >= Date.parse(cert.validTo)) throw untrusted(`the ${what} expired on ${cert.validTo}`);
}

function untrusted(reason: string): CaError {
  return new CaError("PEER_UNTRUSTED", `peer certificate refused: ${reason}`);
}
