import { CaError } from "./errors.ts";
import { importSigningKey } from "./keys.ts";
import type { SigningCa } from "./node-certificate.ts";
import { authorityKeyIdentifier } from "./node-certificate.ts";
import { normalizeCertificatePem, parseSingleCertificate } from "./pem.ts";
import { CA_KEY_USAGES, createRootCa, type RootCa } from "./root-ca.ts";
import { x509 } from "./x509.ts";

/**
 * A root CA rotation in progress (`swarm ca --rotate`). While it lasts:
 * - new node certificates are signed by the new root's key and carry `crossSignedPem`, the new
 *   root's subject and key signed by the old root, so nodes that trust only the old root accept
 *   them (leaf → cross-signed → old root);
 * - every node trusts `trustBundleDuringRotation(old, new)`, so certificates of either root are
 *   accepted in both directions;
 * - when every node holds a certificate of the new root, the rotation ends: the trust bundle
 *   becomes the new root alone and the cross-signed intermediate is no longer sent.
 * Join tokens keep the old root's digest until the rotation ends, then are regenerated.
 */
export interface RootRotation {
  readonly oldRoot: RootCa;
  readonly newRoot: RootCa;
  /** PEM of the new root cross-signed by the old one. */
  readonly crossSignedPem: string;
}

/** Begins a rotation to `newRoot`, or to a freshly generated root when none is supplied. */
export async function startRootRotation(
  oldRoot: RootCa,
  options: { newRoot?: RootCa; now?: Date } = {},
): Promise<RootRotation> {
  const newRoot = options.newRoot ?? (await createRootCa(options.now ? { now: options.now } : {}));
  if (newRoot.certPem === oldRoot.certPem) {
    throw new CaError(
      "INVALID_ROOT_CA",
      "the new root CA is the current one; supply a different root to rotate to",
    );
  }
  const crossSignedPem = await crossSignRootCa(oldRoot, newRoot.certPem);
  return { oldRoot, newRoot, crossSignedPem };
}

/**
 * Signs the CA certificate `otherRootPem` with `signer`'s key: same subject, public key, SKI and
 * validity as the original, issuer = signer. Like swarm's CrossSignCACertificate.
 */
export async function crossSignRootCa(signer: RootCa, otherRootPem: string): Promise<string> {
  const signerCert = new x509.X509Certificate(
    parseSingleCertificate(signer.certPem, "INVALID_ROOT_CA", "signing root CA").raw,
  );
  const other = parseSingleCertificate(otherRootPem, "INVALID_ROOT_CA", "root CA to cross-sign");
  if (!other.ca) throw new CaError("INVALID_ROOT_CA", "root CA to cross-sign: not a CA certificate");
  const otherCert = new x509.X509Certificate(other.raw);
  const key = await importSigningKey(signer.keyPem, "INVALID_ROOT_CA", "signing root CA key");
  const otherSki = otherCert.getExtension(x509.SubjectKeyIdentifierExtension);
  const cert = await x509.X509CertificateGenerator.create({
    subject: otherCert.subjectName,
    issuer: signerCert.subjectName,
    notBefore: otherCert.notBefore,
    notAfter: otherCert.notAfter,
    publicKey: otherCert.publicKey,
    signingKey: key.key,
    signingAlgorithm: key.signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(CA_KEY_USAGES, true),
      ...(otherSki ? [otherSki] : [await x509.SubjectKeyIdentifierExtension.create(otherCert.publicKey)]),
      ...authorityKeyIdentifier(signerCert),
    ],
  });
  return normalizeCertificatePem(cert.toString("pem"));
}

/** What signs node certificates during the rotation: the new key, with the cross-signed chain. */
export function rotationSigningCa(rotation: RootRotation): SigningCa {
  return {
    certPem: rotation.newRoot.certPem,
    keyPem: rotation.newRoot.keyPem,
    intermediatesPem: rotation.crossSignedPem,
  };
}

/** Roots every node trusts during a rotation: old then new, normalised, without duplicates. */
export function trustBundleDuringRotation(oldRootPem: string, newRootPem: string): string {
  const blocks =
    normalizeCertificatePem(oldRootPem + newRootPem).match(
      /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g,
    ) ?? [];
  return [...new Set(blocks)].join("");
}
